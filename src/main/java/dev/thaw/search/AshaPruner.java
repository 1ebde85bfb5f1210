package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.TrialHistory;

import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving (ASHA): Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt, Recht and
 * Talwalkar, "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020.
 *
 * <p><b>Rungs.</b> The epochs at which trials are compared are {@link PrunerSpec#rungs} (min_epochs·η^k below the
 * study's epochs). After any other epoch a trial goes on.
 *
 * <p><b>At a rung.</b> After epoch r, a rung, the trial's objective at epoch r competes with the objective at epoch
 * r of every search trial that reached r, in any state, itself included (the scratch baseline never competes; NaN
 * values are left out). Of the n values the best floor(n/η) go on: the trial goes on when its value is at least as
 * good as the floor(n/η)-th best (the cut-off; a tie goes on). The decision uses the values present when asked and
 * never waits for more, which is what makes it asynchronous.
 * <ul>
 *   <li>{@link PrunerSpec.Mode#STOP}: a trial that does not go on ends PRUNED. While n &lt; η (floor(n/η) = 0) a trial
 *   goes on only if it is the best at the rung so far, as Optuna's {@code SuccessiveHalvingPruner} does, since a
 *   pruned trial cannot come back.</li>
 *   <li>{@link PrunerSpec.Mode#PAUSE}: a trial that does not go on is PAUSED, checkpointed at its rung; while n &lt; η
 *   none goes on. Asked again later ({@link Promotion#next}), a paused trial goes on (thaws) once it is among the
 *   best floor(n/η) of its rung, n counting every trial that has reached the rung by then: the promotion of the
 *   paper's asynchronous algorithm, taken at the paused trial's rung.</li>
 * </ul>
 *
 * <p>Reasons read "rung 2 (epoch 3): 0.62 is not in the top 1/3 (2 of 7 go on, cut-off 0.71)", rungs counted from
 * 1. Stateless; see {@link Pruner}. Costs O(trials · epochs) per decision.
 */
public final class AshaPruner implements Pruner {
    private final List<Integer> rungs;
    private final int eta;
    private final PrunerSpec.Mode mode;
    private final Direction direction;
    private final String label;

    /**
     * @param rungs           the epochs at which trials compete, ascending ({@code spec.rungs(epochs, 0)})
     * @param reductionFactor η ≥ 2: the best 1/η of a rung go on
     * @param mode            whether the others end (STOP) or pause (PAUSE)
     * @param direction       whether a larger objective is better
     */
    public AshaPruner(List<Integer> rungs, int reductionFactor, PrunerSpec.Mode mode, Direction direction) {
        this(rungs, reductionFactor, mode, direction, "");
    }

    /** As above, with {@code label} (such as "bracket 1, ") before each reason. */
    AshaPruner(List<Integer> rungs, int reductionFactor, PrunerSpec.Mode mode, Direction direction, String label) {
        if (reductionFactor < 2 || mode == null || direction == null) {
            throw new IllegalArgumentException("ASHA needs reduction_factor >= 2, a mode and a direction, got "
                    + reductionFactor + ", " + mode + ", " + direction);
        }
        this.rungs = List.copyOf(rungs);
        this.eta = reductionFactor;
        this.mode = mode;
        this.direction = direction;
        this.label = label;
    }

    @Override
    public PruneDecision decide(TrialHistory history, TrialHistory.Trial trial) {
        return decide(history.search(), trial);
    }

    /** The decision for {@code trial} against {@code competitors} (search trials; {@code trial} may be among them). */
    PruneDecision decide(List<TrialHistory.Trial> competitors, TrialHistory.Trial trial) {
        if (trial.baseline() || trial.epochs().isEmpty()) {
            return PruneDecision.CONTINUE;
        }
        int epoch = Curves.lastEpoch(trial);
        int rung = rungs.indexOf(epoch);
        double own = Curves.at(trial, epoch);
        if (rung < 0 || Double.isNaN(own)) {
            return PruneDecision.CONTINUE;
        }
        List<Double> values = new ArrayList<>();
        values.add(own);
        for (TrialHistory.Trial t : competitors) {
            double v = t.number() == trial.number() || t.baseline() ? Double.NaN : Curves.at(t, epoch);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        }
        values.sort(direction == Direction.MAXIMIZE ? java.util.Comparator.reverseOrder()
                : java.util.Comparator.naturalOrder());
        int n = values.size();
        int keep = n / eta;
        String where = label + "rung " + (rung + 1) + " (epoch " + epoch + "): ";
        if (keep == 0) {
            double best = values.get(0);
            if (mode == PrunerSpec.Mode.STOP && !direction.better(best, own)) {
                return PruneDecision.CONTINUE;
            }
            String[] shown = Curves.numbers(own, best);
            return mode == PrunerSpec.Mode.STOP
                    ? PruneDecision.prune(where + shown[0] + " is behind the best " + shown[1] + " of " + n
                    + " trials (fewer than " + eta + " reached the rung: only the best goes on)")
                    : PruneDecision.pause(where + shown[0] + " waits: " + n + (n == 1 ? " trial" : " trials")
                    + " reached the rung, fewer than " + eta + ", so none of the top 1/" + eta + " goes on yet");
        }
        double cutoff = values.get(keep - 1);
        if (!direction.better(cutoff, own)) {
            return PruneDecision.CONTINUE;
        }
        String[] shown = Curves.numbers(own, cutoff);
        String reason = where + shown[0] + " is not in the top 1/" + eta + " (" + keep + " of " + n
                + " go on, cut-off " + shown[1] + ")";
        return mode == PrunerSpec.Mode.STOP ? PruneDecision.prune(reason) : PruneDecision.pause(reason);
    }
}
