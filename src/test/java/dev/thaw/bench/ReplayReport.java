package dev.thaw.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of the search benchmark, the same for every method: the best score so far after 10, 20, 40 and 80
 * trials (median and quartiles over seeds), the trials each seed took to reach the table's top 1%, the median regret
 * curve, and the recorded training time the proposals would have cost.
 */
public final class ReplayReport {
    static final int[] CHECKPOINTS = {10, 20, 40, 80};

    private final GridTable table;
    private final int trials;
    private final double threshold;
    private final long topCount;

    public ReplayReport(GridTable table, int trials) {
        this.table = table;
        this.trials = trials;
        double[] scores = table.configs().stream().mapToDouble(GridTable.Config::score).sorted().toArray();
        this.threshold = topThreshold(scores);
        this.topCount = Arrays.stream(scores).filter(s -> s >= threshold).count();
    }

    /** The 99th percentile of {@code ascending} by nearest rank: the least score that 99% of them do not exceed. */
    static double topThreshold(double[] ascending) {
        return ascending[(int) Math.ceil(0.99 * ascending.length) - 1];
    }

    /** The trial (1 for the first) whose configuration first scores at least {@code threshold}; size + 1 if none. */
    static int trialsTo(List<GridTable.Config> run, double threshold) {
        for (int i = 0; i < run.size(); i++) {
            if (run.get(i).score() >= threshold) {
                return i + 1;
            }
        }
        return run.size() + 1;
    }

    /**
     * The {@code q} quantile of {@code values}, interpolating linearly between order statistics (as numpy); infinite
     * when it lies at or beyond an infinite value.
     */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        return lo + 1 < s.length && h > lo && s[lo + 1] != s[lo] ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
    }

    /** The best score among the first {@code n} trials of {@code run}. */
    static double bestOf(List<GridTable.Config> run, int n) {
        return run.subList(0, n).stream().mapToDouble(GridTable.Config::score).max().orElseThrow();
    }

    /** Per trial n (index n - 1): the median over seeds of the table's best minus the best of the first n trials. */
    public double[] medianRegret(SearchBenchmark.Runs runs) {
        double[] out = new double[trials];
        for (int n = 1; n <= trials; n++) {
            int k = n;
            out[n - 1] = quantile(runs.seeds().stream().mapToDouble(r -> table.best() - bestOf(r, k)).toArray(), 0.5);
        }
        return out;
    }

    /** The median over seeds of the trials taken to reach the top 1% (budget + 1 for a seed that did not). */
    public Optional<Double> medianTrialsToTop(SearchBenchmark.Runs runs) {
        if (runs.failure().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(quantile(runs.seeds().stream().mapToDouble(r -> trialsTo(r, threshold)).toArray(), 0.5));
    }

    public void print(Path tableFile, List<SearchBenchmark.Runs> all, PrintStream out) {
        int seeds = all.stream().mapToInt(r -> r.seeds().size()).max().orElse(0);
        out.printf(Locale.ROOT, "table %s: %d configurations, best final val_accuracy %.4f%n", tableFile,
                table.configs().size(), table.best());
        out.printf(Locale.ROOT, "top 1%%: final val_accuracy >= %.4f (the 99th percentile by nearest rank): %d "
                + "configuration%s, ties included%n", threshold, topCount, topCount == 1 ? "" : "s");
        out.printf(Locale.ROOT, "every method: seeds 1..%d, %d trials each, one at a time; a proposal scores the "
                + "final val_accuracy of the nearest recorded configuration%n%n", seeds, trials);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-24s", "best so far after"));
        for (int c : CHECKPOINTS) {
            if (c <= trials) {
                head.append(String.format(Locale.ROOT, "  %-22s", c + " trials: median [q1, q3]"));
            }
        }
        out.println(head);
        for (SearchBenchmark.Runs r : all) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", r.method()));
            if (r.failure().isPresent()) {
                line.append("  failed: ").append(r.failure().get());
            } else {
                for (int c : CHECKPOINTS) {
                    if (c <= trials) {
                        double[] best = r.seeds().stream().mapToDouble(run -> bestOf(run, c)).toArray();
                        line.append(String.format(Locale.ROOT, "  %.4f [%.4f, %.4f]    ", quantile(best, 0.5),
                                quantile(best, 0.25), quantile(best, 0.75)));
                    }
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.printf(Locale.ROOT, "%n%-24s  %-28s  %-24s  %s%n", "to the top 1%", "trials: median [q1, q3]",
                "seeds not reached", "recorded training time of " + trials + " trials, median");
        for (SearchBenchmark.Runs r : all) {
            if (r.failure().isPresent()) {
                out.printf(Locale.ROOT, "%-24s  failed%n", r.method());
                continue;
            }
            double[] to = r.seeds().stream().mapToDouble(run -> trialsTo(run, threshold)).toArray();
            long missed = Arrays.stream(to).filter(t -> t > trials).count();
            double[] minutes = r.seeds().stream()
                    .mapToDouble(run -> run.stream().mapToDouble(GridTable.Config::seconds).sum() / 60).toArray();
            out.printf(Locale.ROOT, "%-24s  %-28s  %-24s  %.1f min%n", r.method(), String.format(Locale.ROOT,
                    "%s [%s, %s]", trialsText(quantile(to, 0.5)), trialsText(quantile(to, 0.25)),
                    trialsText(quantile(to, 0.75))), missed + " of " + to.length, quantile(minutes, 0.5));
        }
        out.printf(Locale.ROOT, "(a seed that does not reach the top 1%% within %d trials counts as %d, shown >%d)%n",
                trials, trials + 1, trials);
    }

    private String trialsText(double t) {
        return t > trials ? ">" + trials : (t == Math.rint(t) ? String.valueOf((long) t)
                : String.format(Locale.ROOT, "%.1f", t));
    }

    /** {@code summary: tpe/random=R tpe/optuna_tpe=R}: ratios of median trials to the top 1% (n/a when one failed). */
    public String summary(List<SearchBenchmark.Runs> all) {
        return "summary: tpe/random=" + ratio(all, "thaw_tpe", "thaw_random") + " tpe/optuna_tpe="
                + ratio(all, "thaw_tpe", "optuna_tpe");
    }

    private String ratio(List<SearchBenchmark.Runs> all, String a, String b) {
        Optional<Double> x = median(all, a);
        Optional<Double> y = median(all, b);
        return x.isPresent() && y.isPresent() ? String.format(Locale.ROOT, "%.2f", x.get() / y.get()) : "n/a";
    }

    private Optional<Double> median(List<SearchBenchmark.Runs> all, String method) {
        return all.stream().filter(r -> r.method().equals(method)).findFirst().flatMap(this::medianTrialsToTop);
    }
}
