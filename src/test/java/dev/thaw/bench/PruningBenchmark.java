package dev.thaw.bench;

import dev.thaw.bench.PruningReplay.End;
import dev.thaw.bench.PruningReplay.Run;
import dev.thaw.bench.PruningReplay.Segment;
import dev.thaw.bench.PruningReport.Runs;
import dev.thaw.search.Pruner;
import dev.thaw.search.PrunerFactory;
import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.study.Direction;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.SearchSpec.Algorithm;
import dev.thaw.study.SearchSpec.TpeOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Pruning efficiency on a recorded table ({@link GridTable}): Thaw's random and TPE samplers, each with no pruner,
 * median, ASHA (stop), ASHA (pause) and Hyperband, beside Optuna's TPE with no pruner, its MedianPruner and its
 * HyperbandPruner; the same seeds, the same budget of epochs, one trial at a time ({@link PruningReplay}; Optuna's
 * side is {@code scripts/bench/optuna_pruning_replay.py}, run while Thaw's methods replay). A method that throws is
 * reported as failed and the others still run.
 * Usage: PruningBenchmark TABLE SEEDS EPOCHS RESULTS_DIR [PNG_COPY]; writes RESULTS_DIR/pruning.csv (per method and
 * seed), pruning.md (the figures table) and pruning-regret.png (and its copy), and prints the figures with a last
 * line {@code summary: best=... best/random=... best/optuna_best=...}.
 */
public final class PruningBenchmark {
    static final Path OPTUNA_SCRIPT = Path.of("scripts/bench/optuna_pruning_replay.py");
    static final List<String> OPTUNA_METHODS = List.of("optuna_tpe", "optuna_tpe_median", "optuna_tpe_hyperband");

    /** The pruners compared, by the suffix of their method's name: η 3 and a first rung of 1 epoch throughout. */
    static final Map<String, PrunerSpec> PRUNERS = pruners();

    private static Map<String, PrunerSpec> pruners() {
        Map<String, PrunerSpec> p = new LinkedHashMap<>();
        p.put("", PrunerSpec.NONE);
        p.put("_median", new PrunerSpec(PrunerSpec.Type.MEDIAN, 1, 3, PrunerSpec.Mode.STOP, 1, 5));
        p.put("_asha", new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.STOP, 1, 5));
        p.put("_asha_pause", new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.PAUSE, 1, 5));
        p.put("_hyperband", new PrunerSpec(PrunerSpec.Type.HYPERBAND, 1, 3, PrunerSpec.Mode.STOP, 1, 5));
        return p;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path tableFile = Path.of(args[0]);
        int seeds = Integer.parseInt(args[1]);
        int budget = Integer.parseInt(args[2]);
        Path results = Path.of(args[3]);
        long start = System.nanoTime();
        GridTable table = GridTable.read(tableFile);
        ReplaySpace replay = new ReplaySpace(table);
        CompletableFuture<List<Runs>> optuna = CompletableFuture.supplyAsync(() -> optuna(tableFile, replay, seeds,
                budget));
        List<Runs> runs = new ArrayList<>();
        for (Algorithm algorithm : List.of(Algorithm.RANDOM, Algorithm.TPE)) {
            for (Map.Entry<String, PrunerSpec> p : PRUNERS.entrySet()) {
                String name = "thaw_" + algorithm.name().toLowerCase(Locale.ROOT) + p.getKey();
                runs.add(thaw(name, algorithm, p.getValue(), table, replay, seeds, budget));
            }
        }
        runs.addAll(optuna.join());
        PruningReport report = new PruningReport(table, budget);
        report.print(tableFile, runs, System.out);
        Files.createDirectories(results);
        Files.writeString(results.resolve("pruning.csv"), report.csv(runs));
        Files.writeString(results.resolve("pruning.md"), report.markdown(runs));
        System.out.println("\nper seed: " + results.resolve("pruning.csv") + "; the table: " + results.resolve("pruning.md"));
        Map<String, double[]> curves = new LinkedHashMap<>();
        runs.stream().filter(Runs::ran).forEach(r -> curves.put(r.method(), report.medianRegret(r)));
        List<Path> pngs = new ArrayList<>(List.of(results.resolve("pruning-regret.png")));
        for (int i = 4; i < args.length; i++) {
            pngs.add(Path.of(args[i]));
        }
        for (Path png : pngs) {
            Files.createDirectories(png.toAbsolutePath().getParent());
            RegretPlot.write(curves, seeds, "epochs", 0.1, png);
            System.out.println("plot: " + png);
        }
        System.out.printf(Locale.ROOT, "the whole replay took %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println(report.summary(runs));
    }

    /** Thaw's sampler {@code algorithm} with the pruner {@code spec}, for seeds 1..seeds. */
    static Runs thaw(String name, Algorithm algorithm, PrunerSpec spec, GridTable table, ReplaySpace replay, int seeds,
                     int budget) {
        long start = System.nanoTime();
        int epochs = table.configs().get(0).epochs().size();
        List<Run> out = new ArrayList<>();
        try {
            for (long seed = 1; seed <= seeds; seed++) {
                Sampler sampler = new SamplerFactory().create(new SearchSpec(algorithm, budget, seed, Optional.empty(),
                        3, TpeOptions.DEFAULT), ReplaySpace.space(), Direction.MAXIMIZE);
                Pruner pruner = new PrunerFactory().create(spec, Direction.MAXIMIZE, epochs);
                out.add(PruningReplay.run(replay, sampler, pruner, seed, budget));
            }
        } catch (RuntimeException e) {
            return Runs.failed(name, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.err.printf(Locale.ROOT, "%s: %d seeds in %.1f s%n", name, seeds, (System.nanoTime() - start) / 1e9);
        return new Runs(name, out, Optional.empty());
    }

    /**
     * Optuna's TPE with each pruner through {@link #OPTUNA_SCRIPT} on the same table, seeds and budget. Every
     * proposal is snapped again here; a configuration that differs from the script's fails the method.
     */
    static List<Runs> optuna(Path table, ReplaySpace replay, int seeds, int budget) {
        long start = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(SearchBenchmark.PYTHON, OPTUNA_SCRIPT.toString(), table.toString(),
                    String.valueOf(seeds), String.valueOf(budget)).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            String why = "cannot start " + SearchBenchmark.PYTHON + " (" + e.getMessage() + "); install "
                    + "python3-optuna or set THAW_BENCH_PYTHON";
            return OPTUNA_METHODS.stream().map(m -> Runs.failed(m, why)).toList();
        }
        Map<String, Map<Integer, List<Segment>>> bySeed = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                parse(line, replay, bySeed, failures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPTUNA_SCRIPT + "'s output: " + e.getMessage(), e);
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + OPTUNA_SCRIPT, e);
        }
        System.err.printf(Locale.ROOT, "optuna: %.1f s%n", (System.nanoTime() - start) / 1e9);
        List<Runs> out = new ArrayList<>();
        for (String method : OPTUNA_METHODS) {
            Map<Integer, List<Segment>> runs = bySeed.getOrDefault(method, Map.of());
            if (failures.containsKey(method)) {
                out.add(Runs.failed(method, failures.get(method)));
            } else if (runs.size() != seeds || runs.values().stream()
                    .anyMatch(r -> r.stream().mapToInt(Segment::epochs).sum() != budget)) {
                out.add(Runs.failed(method, SearchBenchmark.PYTHON + " " + OPTUNA_SCRIPT + " exited with " + exit
                        + " before every seed spent its budget; see its message above"));
            } else {
                out.add(new Runs(method, runs.values().stream().map(Run::new).toList(), Optional.empty()));
            }
        }
        return out;
    }

    /**
     * One line of the script: {@code method seed trial config learning_rate batch_size dropout optimizer
     * unfreeze_depth end epochs} (tab-separated; end COMPLETE, PRUNED or CUT), or {@code method FAILED message}.
     */
    static void parse(String line, ReplaySpace replay, Map<String, Map<Integer, List<Segment>>> bySeed,
                      Map<String, String> failures) {
        String[] f = line.split("\t");
        if (f.length > 1 && f[1].equals("FAILED")) {
            failures.put(f[0], f.length > 2 ? f[2] : "failed");
            return;
        }
        if (f.length != 11) {
            failures.putIfAbsent(f[0], "a line of " + f.length + " fields, not 11: " + line);
            return;
        }
        GridTable.Config mine = replay.snap(Double.parseDouble(f[4]), Integer.parseInt(f[5]),
                Double.parseDouble(f[6]), f[7], Integer.parseInt(f[8]));
        if (mine.id() != Integer.parseInt(f[3])) {
            failures.putIfAbsent(f[0], "snapped differently from ReplaySpace: " + line);
        }
        bySeed.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(Integer.parseInt(f[1]),
                k -> new ArrayList<>()).add(new Segment(Integer.parseInt(f[2]), mine, 1, Integer.parseInt(f[10]),
                End.valueOf(f[9])));
    }
}
