package dev.thaw.bench;

import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SearchSpace;
import dev.thaw.search.SequentialStudy;
import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.SearchSpec.TpeOptions;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Milliseconds per TPE proposal against the size of the history: Thaw's TPE (univariate and multivariate) beside
 * Optuna's ({@code scripts/bench/optuna_overhead.py}) on the same histories of scored trials over the replay space's
 * five parameters, built here from random assignments with a synthetic score and written to a file both read.
 * Proposal j (from 0) after the warm-up is made from the first size + j trials, so each timed proposal sees a new
 * history, as in a study; the figure is the median of the timed proposals.
 * Usage: TpeOverheadBenchmark [sizes (100,1000,5000)] [proposals (7)] [warm-up (3)]
 */
public final class TpeOverheadBenchmark {
    private static final List<String> OPTIMIZERS = List.of("sgd", "nesterovs", "adam");

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,1000,5000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int proposals = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<TrialHistory.Trial> trials = history(Arrays.stream(sizes).max().orElseThrow() + proposals);
        Path file = Files.createTempFile("thaw-tpe-history", ".tsv");
        write(trials, file);
        Map<String, Map<Integer, String>> ms = new LinkedHashMap<>();
        for (boolean multivariate : new boolean[]{false, true}) {
            ms.put(multivariate ? "thaw tpe mv" : "thaw tpe", thaw(multivariate, trials, sizes, proposals, warmup));
        }
        ms.putAll(optuna(file, sizes, proposals, warmup));
        Files.delete(file);
        System.out.printf(Locale.ROOT, "ms per TPE proposal, median of %d after %d warm-up; the history: scored trials "
                + "of random assignments over 5 parameters with a synthetic score, the same for Thaw and Optuna%n",
                proposals, warmup);
        System.out.printf(Locale.ROOT, "%-8s", "history");
        ms.keySet().forEach(k -> System.out.printf(Locale.ROOT, "  %-22s", k));
        System.out.println();
        for (int size : sizes) {
            System.out.printf(Locale.ROOT, "%-8d", size);
            ms.values().forEach(m -> System.out.printf(Locale.ROOT, "  %-22s", m.getOrDefault(size, "-")));
            System.out.println();
        }
    }

    /** {@code n} COMPLETE trials of random assignments (seed 1) with a smooth synthetic score plus a little noise. */
    static List<TrialHistory.Trial> history(int n) {
        SplittableRandom r = new SplittableRandom(1);
        List<TrialHistory.Trial> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            double lr = Math.exp(r.nextDouble(Math.log(ReplaySpace.LR_LOW), Math.log(ReplaySpace.LR_HIGH)));
            int batch = r.nextBoolean() ? 16 : 64;
            double dropout = r.nextDouble(0, ReplaySpace.DROPOUT_HIGH);
            int optimizer = r.nextInt(3);
            int depth = r.nextInt(4);
            double score = 0.9 - 0.05 * Math.pow(Math.log10(lr) + 2.5, 2) - 0.2 * Math.pow(dropout - 0.2, 2)
                    + 0.02 * optimizer + 0.01 * depth - (batch == 64 ? 0.01 : 0) + 0.01 * r.nextDouble(-1, 1);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("learning_rate", lr);
            values.put("batch_size", batch);
            values.put("dropout", dropout);
            values.put("optimizer", OPTIMIZERS.get(optimizer));
            values.put("unfreeze_depth", depth);
            out.add(SequentialStudy.trial(i, new Assignment(values), TrialState.COMPLETE, Optional.of(score)));
        }
        return out;
    }

    private static void write(List<TrialHistory.Trial> trials, Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.print("learning_rate\tbatch_size\tdropout\toptimizer\tunfreeze_depth\tscore\n");
            for (TrialHistory.Trial t : trials) {
                Map<String, Object> v = t.assignment().values();
                out.print(v.get("learning_rate") + "\t" + v.get("batch_size") + "\t" + v.get("dropout") + "\t"
                        + v.get("optimizer") + "\t" + v.get("unfreeze_depth") + "\t" + t.score().orElseThrow() + "\n");
            }
        }
    }

    /** Size → median ms of Thaw's TPE, or "failed" for every size when it throws (the reason goes to stderr). */
    static Map<Integer, String> thaw(boolean multivariate, List<TrialHistory.Trial> trials, int[] sizes,
                                     int proposals, int warmup) {
        SearchSpace space = ReplaySpace.space();
        TpeOptions d = TpeOptions.DEFAULT;
        Sampler tpe = new SamplerFactory().create(new SearchSpec(SearchSpec.Algorithm.TPE, Integer.MAX_VALUE, 1,
                Optional.empty(), 3, new TpeOptions(d.startupTrials(), d.gamma(), d.candidates(), multivariate)),
                space, Direction.MAXIMIZE);
        Map<Integer, String> out = new LinkedHashMap<>();
        try {
            for (int i = 0; i < 20; i++) { // the JIT's warm-up, on the smallest history
                tpe.propose(space, prefix(trials, sizes[0]), new SplittableRandom(i));
            }
            for (int size : sizes) {
                for (int i = 0; i < warmup; i++) {
                    tpe.propose(space, prefix(trials, size), new SplittableRandom(i));
                }
                double[] ms = new double[proposals];
                for (int j = 0; j < proposals; j++) {
                    TrialHistory h = prefix(trials, size + j);
                    long start = System.nanoTime();
                    tpe.propose(space, h, new SplittableRandom(1000 + j));
                    ms[j] = (System.nanoTime() - start) / 1e6;
                }
                out.put(size, String.format(Locale.ROOT, "%.2f", ReplayReport.quantile(ms, 0.5)));
            }
        } catch (RuntimeException e) {
            System.err.println("thaw tpe" + (multivariate ? " mv" : "") + " failed: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
            Arrays.stream(sizes).forEach(s -> out.put(s, "failed"));
        }
        return out;
    }

    private static TrialHistory prefix(List<TrialHistory.Trial> trials, int n) {
        return new TrialHistory(trials.subList(0, n));
    }

    /** Method → size → median ms from scripts/bench/optuna_overhead.py on the same history file. */
    static Map<String, Map<Integer, String>> optuna(Path file, int[] sizes, int proposals, int warmup)
            throws IOException, InterruptedException {
        Map<String, Map<Integer, String>> out = new LinkedHashMap<>();
        String sizeList = String.join(",", Arrays.stream(sizes).mapToObj(String::valueOf).toList());
        Process p = new ProcessBuilder(SearchBenchmark.PYTHON, "scripts/bench/optuna_overhead.py", file.toString(),
                sizeList, String.valueOf(proposals), String.valueOf(warmup))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\t"); // method, size, median ms
                out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[1]),
                        String.format(Locale.ROOT, "%.2f", Double.parseDouble(f[2])));
            }
        }
        if (p.waitFor() != 0) {
            System.err.println("optuna_overhead.py exited with " + p.exitValue() + "; its figures are missing");
        }
        return out;
    }
}
