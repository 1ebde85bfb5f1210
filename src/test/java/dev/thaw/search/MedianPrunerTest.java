package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.thaw.search.PrunerHistories.baseline;
import static dev.thaw.search.PrunerHistories.of;
import static dev.thaw.search.PrunerHistories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MedianPrunerTest extends PrunerContractTest {
    @Override
    Pruner pruner(Direction direction) {
        PrunerSpec spec = new PrunerSpec(PrunerSpec.Type.MEDIAN, 1, 3, PrunerSpec.Mode.STOP, 1, 5);
        return new PrunerFactory().create(spec, direction, EPOCHS);
    }

    /** Six COMPLETE trials (2-7) whose epoch-2 values have the median 0.77, the baseline (1) and a running trial 8. */
    private static List<TrialHistory.Trial> six(double... running) {
        List<TrialHistory.Trial> t = new ArrayList<>();
        t.add(baseline(1, 0.99, 0.99, 0.99));
        t.add(trial(2, TrialState.COMPLETE, 0.60, 0.70, 0.72));
        t.add(trial(3, TrialState.COMPLETE, 0.50, 0.75, 0.80));
        t.add(trial(4, TrialState.COMPLETE, 0.40, 0.76, 0.79));
        t.add(trial(5, TrialState.COMPLETE, 0.70, 0.78, 0.81));
        t.add(trial(6, TrialState.COMPLETE, 0.30, 0.80, 0.83));
        t.add(trial(7, TrialState.COMPLETE, 0.20, 0.85, 0.86));
        t.add(trial(8, TrialState.RUNNING, running));
        return t;
    }

    private static PruneDecision decide(Pruner pruner, List<TrialHistory.Trial> trials) {
        return pruner.decide(of(trials), trials.get(trials.size() - 1));
    }

    @Test
    void prunesATrialBelowTheMedianAtItsEpochWithTheNumbers() {
        Pruner pruner = pruner(Direction.MAXIMIZE);
        // epoch 1: 0.45 is the median of 0.2 .. 0.7 (0.4 and 0.5), and 0.5 is above it
        assertEquals(PruneDecision.CONTINUE, decide(pruner, six(0.50)));
        assertEquals(PruneDecision.prune("epoch 2: 0.41 is below the median 0.77 of 6 trials"),
                decide(pruner, six(0.35, 0.41)));
        // the best value so far counts: 0.8 at epoch 1 beats the median 0.77 of epoch 2
        assertEquals(PruneDecision.CONTINUE, decide(pruner, six(0.80, 0.41)));
        assertEquals(PruneDecision.prune("epoch 2: 0.45 (its best, at epoch 1) is below the median 0.77 of 6 trials"),
                decide(pruner, six(0.45, 0.41)));
        // odd count: epoch 3 of trials 2-6 and 8 only (7 has no epoch 3 when it is cut short): the median is 0.8
        List<TrialHistory.Trial> odd = six(0.78, 0.79, 0.795);
        odd.set(6, trial(7, TrialState.COMPLETE, 0.20, 0.85));
        assertEquals(PruneDecision.prune("epoch 3: 0.795 is below the median 0.8 of 5 trials"), decide(pruner, odd));
    }

    @Test
    void aValueEqualToTheMedianGoesOn() {
        Pruner pruner = pruner(Direction.MAXIMIZE);
        assertEquals(PruneDecision.CONTINUE, decide(pruner, six(0.1, 0.77)));
        assertEquals(PruneDecision.Action.PRUNE, decide(pruner, six(0.1, 0.7699)).action());
        assertEquals(PruneDecision.prune("epoch 2: 0.76999 is below the median 0.77 of 6 trials"),
                decide(pruner, six(0.1, 0.76999)));
    }

    @Test
    void onlyCompleteSearchTrialsSetTheMedianAndCountAsStartup() {
        Pruner pruner = pruner(Direction.MAXIMIZE);
        List<TrialHistory.Trial> trials = six(0.35, 0.41);
        // trials that did not complete, however good, are not in the median
        trials.add(1, trial(9, TrialState.PRUNED, 0.9, 0.95));
        trials.add(1, trial(10, TrialState.RUNNING, 0.9, 0.95, 0.96));
        trials.add(1, trial(11, TrialState.STOPPED, 0.9, 0.95));
        trials.add(1, trial(12, TrialState.PAUSED, 0.9, 0.95));
        TrialHistory.Trial eight = trials.stream().filter(t -> t.number() == 8).findFirst().orElseThrow();
        assertEquals(PruneDecision.prune("epoch 2: 0.41 is below the median 0.77 of 6 trials"),
                pruner.decide(of(trials), eight));
        // startup: 5 COMPLETE search trials needed; with 4 (and the baseline, which does not count) it waits
        List<TrialHistory.Trial> four = new ArrayList<>(six(0.35, 0.41));
        four.remove(2);
        four.remove(2);
        assertEquals(PruneDecision.CONTINUE, decide(pruner, four));
        List<TrialHistory.Trial> five = new ArrayList<>(six(0.35, 0.41));
        five.remove(2);
        assertEquals(PruneDecision.prune("epoch 2: 0.41 is below the median 0.78 of 5 trials"), decide(pruner, five));
        // startup 0 still needs one COMPLETE trial with a value at the epoch
        Pruner eager = new MedianPruner(1, 0, Direction.MAXIMIZE);
        assertEquals(PruneDecision.CONTINUE, eager.decide(of(trial(2, TrialState.RUNNING, 0.1)),
                trial(2, TrialState.RUNNING, 0.1)));
        List<TrialHistory.Trial> shortOnes = List.of(trial(2, TrialState.COMPLETE, 0.9),
                trial(3, TrialState.RUNNING, 0.8, 0.1));
        assertEquals(PruneDecision.CONTINUE, decide(eager, shortOnes));
    }

    @Test
    void warmupEpochsIsTheFirstEpochThatMayBePruned() {
        Pruner warm = new PrunerFactory().create(new PrunerSpec(PrunerSpec.Type.MEDIAN, 1, 3, PrunerSpec.Mode.STOP,
                3, 5), Direction.MAXIMIZE, EPOCHS);
        assertEquals(PruneDecision.CONTINUE, decide(warm, six(0.1)));
        assertEquals(PruneDecision.CONTINUE, decide(warm, six(0.1, 0.1)));
        assertEquals(PruneDecision.prune("epoch 3: 0.1 is below the median 0.805 of 6 trials"),
                decide(warm, six(0.1, 0.1, 0.1)));
        // warmup 1 prunes from the first epoch
        assertEquals(PruneDecision.prune("epoch 1: 0.1 is below the median 0.45 of 6 trials"),
                decide(pruner(Direction.MAXIMIZE), six(0.1)));
    }

    @Test
    void aMinimisedObjectivePrunesTheTrialsAboveTheMedian() {
        Pruner pruner = pruner(Direction.MINIMIZE);
        List<TrialHistory.Trial> losses = new ArrayList<>();
        losses.add(baseline(1, 0.01, 0.01));
        double[] epochTwo = {0.9, 1.0, 1.1, 1.2, 1.3};
        for (int i = 0; i < epochTwo.length; i++) {
            losses.add(trial(2 + i, TrialState.COMPLETE, 2.0, epochTwo[i], epochTwo[i] - 0.1));
        }
        losses.add(trial(7, TrialState.RUNNING, 1.5, 1.25));
        assertEquals(PruneDecision.prune("epoch 2: 1.25 is above the median 1.1 of 5 trials"),
                decide(pruner, losses));
        losses.set(losses.size() - 1, trial(7, TrialState.RUNNING, 1.5, 1.1));
        assertEquals(PruneDecision.CONTINUE, decide(pruner, losses));
        // its best (lowest) so far counts
        losses.set(losses.size() - 1, trial(7, TrialState.RUNNING, 1.0, 1.25));
        assertEquals(PruneDecision.CONTINUE, decide(pruner, losses));
    }

    @Test
    void refusesSettingsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new MedianPruner(0, 5, Direction.MAXIMIZE));
        assertThrows(IllegalArgumentException.class, () -> new MedianPruner(1, -1, Direction.MAXIMIZE));
    }
}
