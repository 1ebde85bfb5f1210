package dev.thaw.bench;

import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SearchSpace;
import dev.thaw.search.SequentialStudy;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.SearchSpec.Algorithm;
import dev.thaw.study.SearchSpec.TpeOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Search efficiency on a recorded table ({@link GridTable}): Thaw's samplers and Optuna's, each run for the same seeds
 * with the same budget of trials on the same continuous space ({@link ReplaySpace}); a proposal is snapped to the
 * nearest recorded configuration and scores that configuration's final val_accuracy. A method that throws is
 * reported as failed and the others still run.
 * Usage: SearchBenchmark TABLE SEEDS TRIALS PNG [PNG_COPY]
 */
public final class SearchBenchmark {
    static final String PYTHON = Optional.ofNullable(System.getenv("THAW_BENCH_PYTHON")).orElse("/usr/bin/python3");
    static final Path OPTUNA_SCRIPT = Path.of("scripts/bench/optuna_replay.py");

    /** One method's proposals, snapped: per seed (seed 1 first) the configurations in trial order; or its failure. */
    public record Runs(String method, List<List<GridTable.Config>> seeds, Optional<String> failure) {
        static Runs failed(String method, String why) {
            return new Runs(method, List.of(), Optional.of(why));
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path tableFile = Path.of(args[0]);
        int seeds = Integer.parseInt(args[1]);
        int trials = Integer.parseInt(args[2]);
        long start = System.nanoTime();
        GridTable table = GridTable.read(tableFile);
        ReplaySpace replay = new ReplaySpace(table);
        List<Runs> runs = new ArrayList<>();
        runs.add(thaw("thaw_random", Algorithm.RANDOM, TpeOptions.DEFAULT, replay, seeds, trials));
        runs.add(thaw("thaw_genetic", Algorithm.GENETIC, TpeOptions.DEFAULT, replay, seeds, trials));
        runs.add(thaw("thaw_tpe", Algorithm.TPE, TpeOptions.DEFAULT, replay, seeds, trials));
        TpeOptions multivariate = new TpeOptions(TpeOptions.DEFAULT.startupTrials(), TpeOptions.DEFAULT.gamma(),
                TpeOptions.DEFAULT.candidates(), true);
        runs.add(thaw("thaw_tpe_multivariate", Algorithm.TPE, multivariate, replay, seeds, trials));
        runs.addAll(optuna(tableFile, replay, seeds, trials));
        ReplayReport report = new ReplayReport(table, trials);
        report.print(tableFile, runs, System.out);
        for (int i = 3; i < args.length; i++) {
            Files.createDirectories(Path.of(args[i]).toAbsolutePath().getParent());
            RegretPlot.write(report, runs, seeds, Path.of(args[i]));
            System.out.println("plot: " + args[i]);
        }
        System.out.printf(Locale.ROOT, "the whole replay took %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println(report.summary(runs));
    }

    /** Thaw's sampler for {@code algorithm}, one trial at a time on an in-memory history, for seeds 1..seeds. */
    static Runs thaw(String name, Algorithm algorithm, TpeOptions tpe, ReplaySpace replay, int seeds, int trials) {
        long start = System.nanoTime();
        SearchSpace space = ReplaySpace.space();
        List<List<GridTable.Config>> out = new ArrayList<>();
        try {
            for (long seed = 1; seed <= seeds; seed++) {
                Sampler sampler = new SamplerFactory().create(new SearchSpec(algorithm, trials, seed, Optional.empty(),
                        3, tpe), space, Direction.MAXIMIZE);
                List<GridTable.Config> picked = new ArrayList<>();
                new SequentialStudy(sampler, space, seed).run(trials, a -> {
                    GridTable.Config c = replay.snap(a);
                    picked.add(c);
                    return c.score();
                });
                if (picked.size() < trials) {
                    return Runs.failed(name, "proposed nothing after " + picked.size() + " trials (seed " + seed + ")");
                }
                out.add(picked);
            }
        } catch (RuntimeException e) {
            return Runs.failed(name, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.err.printf(Locale.ROOT, "%s: %d seeds in %.1f s%n", name, seeds, (System.nanoTime() - start) / 1e9);
        return new Runs(name, out, Optional.empty());
    }

    /**
     * Optuna's samplers through scripts/bench/optuna_replay.py on the same table, seeds and budget. Every proposal is
     * snapped again here; a configuration that differs from the script's fails the method.
     */
    static List<Runs> optuna(Path table, ReplaySpace replay, int seeds, int trials) throws IOException,
            InterruptedException {
        long start = System.nanoTime();
        List<String> methods = List.of("optuna_random", "optuna_tpe", "optuna_tpe_multivariate");
        Process p;
        try {
            p = new ProcessBuilder(PYTHON, OPTUNA_SCRIPT.toString(), table.toString(), String.valueOf(seeds),
                    String.valueOf(trials)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            String why = "cannot start " + PYTHON + " (" + e.getMessage() + "); install python3-optuna or set "
                    + "THAW_BENCH_PYTHON";
            return methods.stream().map(m -> Runs.failed(m, why)).toList();
        }
        Map<String, Map<Integer, List<GridTable.Config>>> bySeed = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\t");
                if (f[1].equals("FAILED")) {
                    failures.put(f[0], f.length > 2 ? f[2] : "failed");
                    continue;
                }
                GridTable.Config mine = replay.snap(Double.parseDouble(f[4]), Integer.parseInt(f[5]),
                        Double.parseDouble(f[6]), f[7], Integer.parseInt(f[8]));
                if (mine.id() != Integer.parseInt(f[3])) {
                    failures.putIfAbsent(f[0], "snapped differently from ReplaySpace: " + line);
                }
                bySeed.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                        .computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(mine);
            }
        }
        int exit = p.waitFor();
        System.err.printf(Locale.ROOT, "optuna: %.1f s%n", (System.nanoTime() - start) / 1e9);
        List<Runs> out = new ArrayList<>();
        for (String method : methods) {
            Map<Integer, List<GridTable.Config>> runs = bySeed.getOrDefault(method, Map.of());
            if (failures.containsKey(method)) {
                out.add(Runs.failed(method, failures.get(method)));
            } else if (runs.size() != seeds || runs.values().stream().anyMatch(r -> r.size() != trials)) {
                out.add(Runs.failed(method, PYTHON + " " + OPTUNA_SCRIPT + " exited with " + exit + " before "
                        + "every seed ran; see its message above"));
            } else {
                out.add(new Runs(method, List.copyOf(runs.values()), Optional.empty()));
            }
        }
        return out;
    }
}
