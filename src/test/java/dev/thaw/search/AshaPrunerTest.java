package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.thaw.search.PrunerHistories.baseline;
import static dev.thaw.search.PrunerHistories.flat;
import static dev.thaw.search.PrunerHistories.of;
import static dev.thaw.search.PrunerHistories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ASHA with η = 3 from epoch 1 over 27 epochs: rungs 1, 3 and 9. */
class AshaPrunerTest extends PrunerContractTest {
    static Pruner asha(PrunerSpec.Mode mode, Direction direction) {
        return new PrunerFactory().create(new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, mode, 1, 5), direction, EPOCHS);
    }

    @Override
    Pruner pruner(Direction direction) {
        return asha(PrunerSpec.Mode.STOP, direction);
    }

    /** The contract in pause mode. */
    @Nested
    class PauseMode extends PrunerContractTest {
        @Override
        Pruner pruner(Direction direction) {
            return asha(PrunerSpec.Mode.PAUSE, direction);
        }
    }

    /**
     * The baseline, and six search trials with these epoch-3 values (and lower ones before): 0.80 (COMPLETE), 0.71
     * (PRUNED at epoch 9), 0.65 (RUNNING at 5), 0.60 (STOPPED at 4), 0.55 (PAUSED at 3), 0.50 (FAILED at 3); two
     * more PRUNED at epoch 1 with 0.9 there. Then {@code last}, a running trial 10.
     */
    private static List<TrialHistory.Trial> rung3(double... last) {
        List<TrialHistory.Trial> t = new ArrayList<>();
        t.add(baseline(1, flat(0.99, EPOCHS)));
        t.add(trial(2, TrialState.COMPLETE, curve(0.80, EPOCHS)));
        t.add(trial(3, TrialState.PRUNED, curve(0.71, 9)));
        t.add(trial(4, TrialState.RUNNING, curve(0.65, 5)));
        t.add(trial(5, TrialState.STOPPED, curve(0.60, 4)));
        t.add(trial(6, TrialState.PAUSED, curve(0.55, 3)));
        t.add(trial(7, TrialState.FAILED, curve(0.50, 3)));
        t.add(trial(8, TrialState.PRUNED, 0.9));
        t.add(trial(9, TrialState.PRUNED, 0.9));
        t.add(trial(10, TrialState.RUNNING, last));
        return t;
    }

    /** {@code epochs} values: 0.1 below {@code atThree} at epochs 1-2, {@code atThree} from epoch 3 on. */
    private static double[] curve(double atThree, int epochs) {
        double[] v = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            v[e] = e < 2 ? atThree - 0.1 : atThree;
        }
        return v;
    }

    private static PruneDecision decide(Pruner pruner, List<TrialHistory.Trial> trials) {
        return pruner.decide(of(trials), trials.get(trials.size() - 1));
    }

    @Test
    void prunesATrialOutsideTheTopThirdOfItsRungWithTheNumbers() {
        Pruner asha = pruner(Direction.MAXIMIZE);
        // 7 reached epoch 3 (trials 8 and 9 stopped at 1; the baseline never counts): the top 7/3 = 2 go on
        assertEquals(PruneDecision.prune("rung 2 (epoch 3): 0.62 is not in the top 1/3 (2 of 7 go on, cut-off 0.71)"),
                decide(asha, rung3(0.9, 0.1, 0.62)));
        assertEquals(PruneDecision.CONTINUE, decide(asha, rung3(0.9, 0.1, 0.75)));
        // a tie with the cut-off goes on
        assertEquals(PruneDecision.CONTINUE, decide(asha, rung3(0.9, 0.1, 0.71)));
        // epoch 2 is not a rung, however bad; epoch 4 neither
        assertEquals(PruneDecision.CONTINUE, decide(asha, rung3(0.9, 0.01)));
        assertEquals(PruneDecision.CONTINUE, decide(asha, rung3(0.9, 0.9, 0.75, 0.01)));
        // at rung 1 (epoch 1) trials 2-9 and 10 compete: 9/3 = 3 go on (0.9, 0.9 and trial 2's 0.7)
        assertEquals(PruneDecision.prune("rung 1 (epoch 1): 0.68 is not in the top 1/3 (3 of 9 go on, cut-off 0.7)"),
                decide(asha, rung3(0.68)));
        assertEquals(PruneDecision.CONTINUE, decide(asha, rung3(0.72)));
    }

    @Test
    void fewerThanEtaAtARungLetOnlyTheBestGoOnInStopMode() {
        Pruner asha = pruner(Direction.MAXIMIZE);
        List<TrialHistory.Trial> two = List.of(baseline(1, 0.99), trial(2, TrialState.RUNNING, 0.6, 0.6),
                trial(3, TrialState.RUNNING, 0.5));
        assertEquals(PruneDecision.prune("rung 1 (epoch 1): 0.5 is behind the best 0.6 of 2 trials (fewer than 3 "
                + "reached the rung: only the best goes on)"), decide(asha, two));
        List<TrialHistory.Trial> tie = List.of(trial(2, TrialState.RUNNING, 0.6, 0.6), trial(3, TrialState.RUNNING, 0.6));
        assertEquals(PruneDecision.CONTINUE, decide(asha, tie));
        // the first trial to reach a rung goes on
        assertEquals(PruneDecision.CONTINUE, decide(asha, List.of(trial(2, TrialState.RUNNING, 0.1))));
    }

    @Test
    void aMinimisedObjectiveKeepsTheLowestValues() {
        Pruner asha = pruner(Direction.MINIMIZE);
        List<TrialHistory.Trial> losses = new ArrayList<>();
        losses.add(baseline(1, 0.01));
        double[] epochOne = {0.9, 1.0, 1.1, 1.2, 1.3};
        for (int i = 0; i < epochOne.length; i++) {
            losses.add(trial(2 + i, TrialState.PRUNED, epochOne[i]));
        }
        // 6 values, the lowest 2 go on: 0.9 and 0.95
        losses.add(trial(7, TrialState.RUNNING, 0.95));
        assertEquals(PruneDecision.CONTINUE, decide(asha, losses));
        losses.set(6, trial(7, TrialState.RUNNING, 1.05));
        assertEquals(PruneDecision.prune("rung 1 (epoch 1): 1.05 is not in the top 1/3 (2 of 6 go on, cut-off 1)"),
                decide(asha, losses));
    }

    @Test
    void pauseModePausesWhereStopModePrunesAndWaitsWhileFewerThanEtaReachedTheRung() {
        Pruner pause = asha(PrunerSpec.Mode.PAUSE, Direction.MAXIMIZE);
        assertEquals(PruneDecision.pause("rung 2 (epoch 3): 0.62 is not in the top 1/3 (2 of 7 go on, cut-off 0.71)"),
                decide(pause, rung3(0.9, 0.1, 0.62)));
        assertEquals(PruneDecision.CONTINUE, decide(pause, rung3(0.9, 0.1, 0.75)));
        // the best of two still waits: with n < η nobody is in the top floor(n/η)
        List<TrialHistory.Trial> two = List.of(trial(2, TrialState.PAUSED, 0.5), trial(3, TrialState.RUNNING, 0.6));
        assertEquals(PruneDecision.pause("rung 1 (epoch 1): 0.6 waits: 2 trials reached the rung, fewer than 3, so "
                + "none of the top 1/3 goes on yet"), decide(pause, two));
    }

    /**
     * Freeze–thaw: trials pause at rung 1 until later results put them in the top 1/3 of those that reached it;
     * {@link Promotion#next} thaws the lowest-numbered such trial, and only such a trial.
     */
    @Test
    void aPausedTrialThawsWhenLaterResultsPutItInTheTopThird() {
        Pruner pause = asha(PrunerSpec.Mode.PAUSE, Direction.MAXIMIZE);
        TrialHistory history = of(baseline(1, flat(0.99, EPOCHS)), trial(2, TrialState.PAUSED, 0.5),
                trial(3, TrialState.PAUSED, 0.7));
        assertTrue(Promotion.next(pause, history).isEmpty(), "2 reached the rung: nobody goes on yet");
        // trial 4 comes in worse: 3 reached it, the best one (trial 3) thaws; trial 4 pauses
        TrialHistory.Trial four = trial(4, TrialState.RUNNING, 0.4);
        history = history.with(four);
        assertEquals(PruneDecision.Action.PAUSE, pause.decide(history, four).action());
        history = history.with(trial(4, TrialState.PAUSED, 0.4));
        assertEquals(3, Promotion.next(pause, history).orElseThrow().number());
        // trial 3 thaws and runs on; trial 2 (0.5) is not in the top 1 of 3
        history = history.with(trial(3, TrialState.RUNNING, 0.7, 0.75));
        assertTrue(Promotion.next(pause, history).isEmpty());
        // two more below 0.5: 5 reached the rung, still 1 goes on
        history = history.with(trial(5, TrialState.PAUSED, 0.3)).with(trial(6, TrialState.PAUSED, 0.2));
        assertTrue(Promotion.next(pause, history).isEmpty());
        assertEquals(PruneDecision.pause("rung 1 (epoch 1): 0.5 is not in the top 1/3 (1 of 5 go on, cut-off 0.7)"),
                pause.decide(history, history.trials().get(1)));
        // a sixth: the top 2 go on, so trial 2 (0.5) thaws, and no other
        history = history.with(trial(7, TrialState.PAUSED, 0.1));
        assertEquals(2, Promotion.next(pause, history).orElseThrow().number());
        history = history.with(trial(2, TrialState.RUNNING, 0.5, 0.5));
        assertTrue(Promotion.next(pause, history).isEmpty());
        // two paused trials promoted by one result: the lower number first
        TrialHistory tied = of(trial(2, TrialState.PAUSED, 0.6), trial(3, TrialState.PAUSED, 0.6),
                trial(4, TrialState.PAUSED, 0.1), trial(5, TrialState.PAUSED, 0.1), trial(6, TrialState.PAUSED, 0.1));
        assertEquals(2, Promotion.next(pause, tied).orElseThrow().number());
        assertEquals(3, Promotion.next(pause, tied.with(trial(2, TrialState.RUNNING, 0.6, 0.6))).orElseThrow()
                .number());
    }

    @Test
    void aPausedTrialCompetesAtItsOwnRung() {
        Pruner pause = asha(PrunerSpec.Mode.PAUSE, Direction.MAXIMIZE);
        // trial 2 paused at rung 2 (epoch 3); trials 3-5 reached epoch 3 with worse values, 6-9 only epoch 1 with
        // better ones: at epoch 3 it is the best of 4, so it thaws
        List<TrialHistory.Trial> t = new ArrayList<>();
        t.add(trial(2, TrialState.PAUSED, 0.5, 0.55, 0.6));
        for (int n = 3; n <= 5; n++) {
            t.add(trial(n, TrialState.RUNNING, 0.6, 0.55, 0.5, 0.5));
        }
        for (int n = 6; n <= 9; n++) {
            t.add(trial(n, TrialState.PRUNED, 0.9));
        }
        assertEquals(2, Promotion.next(pause, of(t)).orElseThrow().number());
    }

    @Test
    void theRungsAreThoseOfPrunerSpecForEveryEtaAndFirstRung() {
        int[][] settings = {{2, 1, 16}, {2, 1, 20}, {3, 1, 27}, {3, 2, 20}, {4, 1, 70}, {4, 2, 33}};
        for (int[] s : settings) {
            int eta = s[0];
            int min = s[1];
            int epochs = s[2];
            PrunerSpec spec = new PrunerSpec(PrunerSpec.Type.ASHA, min, eta, PrunerSpec.Mode.STOP, 1, 5);
            Pruner asha = new PrunerFactory().create(spec, Direction.MAXIMIZE, epochs);
            List<TrialHistory.Trial> others = new ArrayList<>();
            for (int n = 2; n < 2 + 2 * eta; n++) {
                others.add(trial(n, TrialState.COMPLETE, flat(0.8, epochs)));
            }
            List<Integer> pruned = new ArrayList<>();
            for (int e = 1; e < epochs; e++) {
                TrialHistory.Trial worst = trial(99, TrialState.RUNNING, flat(0.1, e));
                List<TrialHistory.Trial> all = new ArrayList<>(others);
                all.add(worst);
                if (decide(asha, all).action() == PruneDecision.Action.PRUNE) {
                    pruned.add(e);
                }
            }
            assertEquals(spec.rungs(epochs, 0), pruned, "η=" + eta + " min_epochs=" + min + " epochs=" + epochs);
        }
    }

    @Test
    void theBusyHistoryHasBothDecisions() {
        List<String> d = decisions(pruner(Direction.MAXIMIZE), busy(1));
        assertTrue(d.stream().anyMatch(x -> x.contains(": PRUNE ")), "some pruned");
        assertTrue(d.stream().anyMatch(x -> x.contains(": CONTINUE ")), "some go on");
    }
}
