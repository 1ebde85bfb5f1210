package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.util.Arrays;

/**
 * The median stopping rule with the semantics of Optuna's {@code MedianPruner} (Optuna 3.1's
 * {@code PercentilePruner} at the 50th percentile, checked every epoch, one value needed at the epoch): after epoch
 * e, a trial ends PRUNED when its best objective so far is worse than the median of the objectives the COMPLETE
 * search trials had at epoch e.
 *
 * <p>It never prunes before epoch {@code warmupEpochs} (1: from the first epoch), nor while fewer than
 * {@code startupTrials} search trials are COMPLETE (at least one must be), nor when no COMPLETE trial has a value at
 * epoch e. The median of an even count is the mean of the middle two. A value equal to the median goes on. The
 * scratch baseline is never compared with and never pruned; NaN objectives (unknown values) are left out, and a
 * trial without any known value goes on.
 *
 * <p>Reasons read "epoch 2: 0.41 is below the median 0.77 of 6 trials" ("above" for a minimised objective), with
 * "(its best, at epoch 1)" after the value when the best came before the latest epoch. Stateless; see
 * {@link Pruner}. Costs O(trials · epochs) per decision.
 */
public final class MedianPruner implements Pruner {
    private final int warmupEpochs;
    private final int startupTrials;
    private final Direction direction;

    /**
     * @param warmupEpochs  the first epoch at which a trial may be pruned, ≥ 1
     * @param startupTrials how many search trials must be COMPLETE before any is pruned, ≥ 0
     * @param direction     whether a larger objective is better
     */
    public MedianPruner(int warmupEpochs, int startupTrials, Direction direction) {
        if (warmupEpochs < 1 || startupTrials < 0 || direction == null) {
            throw new IllegalArgumentException("a median pruner needs warmup_epochs >= 1, startup_trials >= 0 and a "
                    + "direction, got " + warmupEpochs + ", " + startupTrials + ", " + direction);
        }
        this.warmupEpochs = warmupEpochs;
        this.startupTrials = startupTrials;
        this.direction = direction;
    }

    @Override
    public PruneDecision decide(TrialHistory history, TrialHistory.Trial trial) {
        if (trial.baseline() || trial.epochs().isEmpty()) {
            return PruneDecision.CONTINUE;
        }
        int epoch = Curves.lastEpoch(trial);
        if (epoch < warmupEpochs) {
            return PruneDecision.CONTINUE;
        }
        int complete = 0;
        double[] values = new double[history.trials().size()];
        int n = 0;
        for (TrialHistory.Trial t : history.search()) {
            if (t.state() == TrialState.COMPLETE && t.number() != trial.number()) {
                complete++;
                double v = Curves.at(t, epoch);
                if (!Double.isNaN(v)) {
                    values[n++] = v;
                }
            }
        }
        if (complete == 0 || complete < startupTrials || n == 0) {
            return PruneDecision.CONTINUE;
        }
        double best = Double.NaN;
        int bestEpoch = 0;
        for (var point : trial.epochs()) {
            double v = point.objective();
            if (!Double.isNaN(v) && (Double.isNaN(best) || direction.better(v, best))) {
                best = v;
                bestEpoch = point.epoch();
            }
        }
        if (Double.isNaN(best)) {
            return PruneDecision.CONTINUE;
        }
        double median = median(Arrays.copyOf(values, n));
        if (!direction.better(median, best)) {
            return PruneDecision.CONTINUE;
        }
        String[] shown = Curves.numbers(best, median);
        String own = bestEpoch == epoch ? shown[0] : shown[0] + " (its best, at epoch " + bestEpoch + ")";
        return PruneDecision.prune("epoch " + epoch + ": " + own + " is "
                + (direction == Direction.MAXIMIZE ? "below" : "above") + " the median " + shown[1] + " of " + n
                + (n == 1 ? " trial" : " trials"));
    }

    /** The median of {@code values} (at least one): the middle one, or the mean of the middle two. */
    static double median(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : values[mid - 1] + (values[mid] - values[mid - 1]) / 2;
    }
}
