package dev.thaw.bench;

import dev.thaw.bench.PruningReplay.End;
import dev.thaw.bench.PruningReplay.Run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The figures of the pruning benchmark, the same for every method: the epochs (and recorded seconds) each seed spent
 * before a COMPLETE trial reached the table's top 1% (the threshold of {@link ReplayReport#topThreshold}), the best
 * COMPLETE score after 100, 200 and 400 epochs, and the median regret by epoch. Pruned, paused and cut-short trials
 * never count as best, whatever they reached.
 */
public final class PruningReport {
    static final int[] CHECKPOINTS = {100, 200, 400};

    private final GridTable table;
    private final int budget;
    private final double threshold;
    private final long topCount;

    /** @param budget the epochs each seed may spend */
    public PruningReport(GridTable table, int budget) {
        this.table = table;
        this.budget = budget;
        double[] scores = table.configs().stream().mapToDouble(GridTable.Config::score).sorted().toArray();
        this.threshold = ReplayReport.topThreshold(scores);
        this.topCount = Arrays.stream(scores).filter(s -> s >= threshold).count();
    }

    /** One method's runs, seed 1 first; or its failure. */
    public record Runs(String method, List<Run> seeds, Optional<String> failure) {
        static Runs failed(String method, String why) {
            return new Runs(method, List.of(), Optional.of(why));
        }

        boolean ran() {
            return failure.isEmpty();
        }
    }

    public double threshold() {
        return threshold;
    }

    /** Per seed, the epochs spent to reach the top 1% (budget + 1 where a seed did not). */
    double[] epochsToTop(Runs r) {
        return r.seeds().stream().mapToDouble(run -> run.epochsTo(threshold, budget)).toArray();
    }

    /** The median over seeds of the epochs to the top 1%; empty when the method failed. */
    public Optional<Double> medianEpochsToTop(Runs r) {
        return r.ran() ? Optional.of(ReplayReport.quantile(epochsToTop(r), 0.5)) : Optional.empty();
    }

    /** How many seeds did not reach the top 1% within the budget. */
    public long notReached(Runs r) {
        return Arrays.stream(epochsToTop(r)).filter(e -> e > budget).count();
    }

    /** The median over seeds of the recorded seconds to the top 1%; infinite when most seeds did not reach it. */
    public double medianSecondsToTop(Runs r) {
        return ReplayReport.quantile(r.seeds().stream().mapToDouble(run -> run.secondsTo(threshold)).toArray(), 0.5);
    }

    /** The {@code q} quantile over seeds of the best COMPLETE score once {@code epochs} are spent. */
    public double bestAfter(Runs r, int epochs, double q) {
        return ReplayReport.quantile(r.seeds().stream()
                .mapToDouble(run -> run.bestByEpoch(budget)[Math.min(epochs, budget) - 1]).toArray(), q);
    }

    /** Index e - 1: the median over seeds of the table's best minus the best COMPLETE score after e epochs. */
    public double[] medianRegret(Runs r) {
        double[][] best = r.seeds().stream().map(run -> run.bestByEpoch(budget)).toArray(double[][]::new);
        double[] out = new double[budget];
        for (int e = 0; e < budget; e++) {
            int k = e;
            out[e] = ReplayReport.quantile(Arrays.stream(best).mapToDouble(b -> table.best() - b[k]).toArray(), 0.5);
        }
        return out;
    }

    public void print(Path tableFile, List<Runs> all, PrintStream out) {
        int seeds = all.stream().mapToInt(r -> r.seeds().size()).max().orElse(0);
        out.printf(Locale.ROOT, "table %s: %d configurations, best final val_accuracy %.4f%n", tableFile,
                table.configs().size(), table.best());
        out.printf(Locale.ROOT, "top 1%%: final val_accuracy >= %.4f (the 99th percentile by nearest rank): %d "
                + "configuration%s, ties included; only a COMPLETE trial counts%n", threshold, topCount,
                topCount == 1 ? "" : "s");
        out.printf(Locale.ROOT, "every method: seeds 1..%d, a budget of %d epochs each, one slot (one trial at a time, "
                + "sequential); a pruned trial costs the epochs it ran, a paused one those before and after its "
                + "thaw%n%n", seeds, budget);
        out.printf(Locale.ROOT, "%-26s  %-28s  %-12s  %-13s  %-9s  %-9s  %s%n", "to the top 1%",
                "epochs: median [q1, q3]", "not reached", "minutes, med", "trials", "pruned", "pauses (median)");
        for (Runs r : all) {
            if (!r.ran()) {
                out.printf(Locale.ROOT, "%-26s  failed: %s%n", r.method(), r.failure().get());
                continue;
            }
            double[] to = epochsToTop(r);
            out.printf(Locale.ROOT, "%-26s  %-28s  %-12s  %-13s  %-9s  %-9s  %s%n", r.method(),
                    String.format(Locale.ROOT, "%s [%s, %s]", epochsText(ReplayReport.quantile(to, 0.5)),
                            epochsText(ReplayReport.quantile(to, 0.25)), epochsText(ReplayReport.quantile(to, 0.75))),
                    notReached(r) + " of " + to.length, minutesText(medianSecondsToTop(r)),
                    number(median(r, run -> run.trials())), number(median(r, run -> run.count(End.PRUNED))),
                    number(median(r, run -> run.count(End.PAUSED))));
        }
        out.printf(Locale.ROOT, "(a seed that does not reach the top 1%% within %d epochs counts as %d, shown >%d; "
                + "minutes: the table's recorded training time)%n%n", budget, budget + 1, budget);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s", "best so far after"));
        for (int c : checkpoints()) {
            head.append(String.format(Locale.ROOT, "  %-26s", c + " epochs: median [q1, q3]"));
        }
        out.println(head);
        for (Runs r : all) {
            if (!r.ran()) {
                out.printf(Locale.ROOT, "%-26s  failed%n", r.method());
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s", r.method()));
            for (int c : checkpoints()) {
                line.append(String.format(Locale.ROOT, "  %-26s", String.format(Locale.ROOT, "%.4f [%.4f, %.4f]",
                        bestAfter(r, c, 0.5), bestAfter(r, c, 0.25), bestAfter(r, c, 0.75))));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(0 while no trial is COMPLETE)");
    }

    /** The figures as a markdown table, one row per method (the README's table). */
    public String markdown(List<Runs> all) {
        StringBuilder md = new StringBuilder("| method | epochs to the top 1%, median (not reached) | recorded minutes "
                + "to the top 1%, median |");
        for (int c : checkpoints()) {
            md.append(c == checkpoints()[0] ? " best after " + c + " epochs |" : " after " + c + " |");
        }
        md.append("\n|---|---|---|").append("---|".repeat(checkpoints().length)).append('\n');
        for (Runs r : all) {
            md.append("| ").append(r.method()).append(" | ");
            if (!r.ran()) {
                md.append("failed: ").append(r.failure().get().replace("|", "/")).append(" |")
                        .append(" |".repeat(1 + checkpoints().length)).append('\n');
                continue;
            }
            md.append(epochsText(medianEpochsToTop(r).orElseThrow())).append(" (").append(notReached(r)).append(") | ")
                    .append(minutesText(medianSecondsToTop(r))).append(" |");
            for (int c : checkpoints()) {
                md.append(String.format(Locale.ROOT, " %s [%s, %s] |", accuracy(bestAfter(r, c, 0.5)),
                        accuracy(bestAfter(r, c, 0.25)), accuracy(bestAfter(r, c, 0.75))));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Per method and seed: the figures the medians are taken over, as CSV with a header line. */
    public String csv(List<Runs> all) {
        StringBuilder csv = new StringBuilder("method,seed,epochs_to_top,seconds_to_top");
        for (int c : checkpoints()) {
            csv.append(",best_after_").append(c);
        }
        csv.append(",epochs,trials,complete,pruned,pauses,cut\n");
        for (Runs r : all) {
            for (int i = 0; i < r.seeds().size(); i++) {
                Run run = r.seeds().get(i);
                int to = run.epochsTo(threshold, budget);
                double seconds = run.secondsTo(threshold);
                csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s", r.method(), i + 1, to > budget ? "" : to,
                        Double.isInfinite(seconds) ? "" : String.format(Locale.ROOT, "%.1f", seconds)));
                double[] best = run.bestByEpoch(budget);
                for (int c : checkpoints()) {
                    csv.append(',').append(accuracy(best[c - 1]));
                }
                csv.append(String.format(Locale.ROOT, ",%d,%d,%d,%d,%d,%d%n", run.epochs(), run.trials(),
                        run.count(End.COMPLETE), run.count(End.PRUNED), run.count(End.PAUSED), run.count(End.CUT)));
            }
        }
        return csv.toString();
    }

    /**
     * {@code summary: best=M best/random=R best/optuna_best=R}: M is Thaw's method with the fewest median epochs to
     * the top 1% (then the fewest seeds not reached, then the first listed), random is thaw_random (no pruner),
     * optuna_best the Optuna method with the fewest; each ratio of median epochs to the top 1% ({@code n/a} when a
     * side did not run).
     */
    public String summary(List<Runs> all) {
        Optional<Runs> best = fastest(all, "thaw_");
        Optional<Runs> random = all.stream().filter(r -> r.method().equals("thaw_random") && r.ran()).findFirst();
        Optional<Runs> optuna = fastest(all, "optuna_");
        return "summary: best=" + best.map(Runs::method).orElse("n/a") + " best/random=" + ratio(best, random)
                + " best/optuna_best=" + ratio(best, optuna);
    }

    /** The method named {@code prefix}... with the fewest median epochs to the top 1%, then the fewest misses. */
    Optional<Runs> fastest(List<Runs> all, String prefix) {
        return all.stream().filter(r -> r.method().startsWith(prefix) && r.ran())
                .min(Comparator.comparingDouble((Runs r) -> medianEpochsToTop(r).orElseThrow())
                        .thenComparingLong(this::notReached));
    }

    private String ratio(Optional<Runs> a, Optional<Runs> b) {
        return a.isPresent() && b.isPresent() ? String.format(Locale.ROOT, "%.2f",
                medianEpochsToTop(a.get()).orElseThrow() / medianEpochsToTop(b.get()).orElseThrow()) : "n/a";
    }

    private int[] checkpoints() {
        int[] in = Arrays.stream(CHECKPOINTS).filter(c -> c <= budget).toArray();
        return in.length > 0 ? in : new int[]{budget};
    }

    private static double median(Runs r, ToDoubleFunction<Run> f) {
        return ReplayReport.quantile(r.seeds().stream().mapToDouble(f).toArray(), 0.5);
    }

    private String epochsText(double e) {
        return e > budget ? ">" + budget : number(e);
    }

    private static String minutesText(double seconds) {
        return Double.isInfinite(seconds) ? "not reached" : String.format(Locale.ROOT, "%.1f", seconds / 60);
    }

    /** An accuracy with two to four decimals: 0.90, 0.9225. */
    static String accuracy(double v) {
        String four = String.format(Locale.ROOT, "%.4f", v);
        return four.endsWith("00") ? four.substring(0, four.length() - 2)
                : four.endsWith("0") ? four.substring(0, four.length() - 1) : four;
    }

    /** An integer as one, otherwise at most four decimals. */
    static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v)
                : new java.math.BigDecimal(v).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }
}
