package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TPE counts a trial the pruner ended or paused with the value it reached, as Optuna 3.1 does. */
class TpePrunedTrialsTest {
    private static final SearchSpace SPACE = SearchSpace.of(Map.of("x", new ParamSpec.FloatParam(0.0, 1.0, false)));

    /** Trial {@code number} at {@code x} with these objectives at epochs 1, 2, ...; COMPLETE scores its last. */
    private static TrialHistory.Trial at(int number, double x, TrialState state, double... objectives) {
        TrialHistory.Trial t = PrunerHistories.trial(number, state, objectives);
        return new TrialHistory.Trial(number, state, new Assignment(Map.of("x", x)), t.score(), t.epochs(), false,
                t.created(), state == TrialState.QUEUED ? Optional.empty() : t.started(), t.finished(), false);
    }

    private static List<Integer> numbers(List<TrialHistory.Trial> trials) {
        return trials.stream().map(TrialHistory.Trial::number).toList();
    }

    @Test
    void completeTrialsRankFirstThenPrunedAndPausedOnesByEpochsReachedThenByTheirLastValue() {
        List<TrialHistory.Trial> trials = List.of(
                at(1, 0.1, TrialState.COMPLETE, 0.5),
                at(2, 0.2, TrialState.COMPLETE, 0.2),
                at(3, 0.3, TrialState.PRUNED, 0.9),
                at(4, 0.4, TrialState.PRUNED, 0.1, 0.6, 0.7),
                at(5, 0.5, TrialState.PAUSED, 0.1, 0.6, 0.8),
                at(6, 0.6, TrialState.PRUNED, 0.99, Double.NaN, Double.NaN),
                at(7, 0.7, TrialState.STOPPED, 0.99, 0.99, 0.99, 0.99),
                at(8, 0.8, TrialState.FAILED, 0.99, 0.99, 0.99, 0.99),
                at(9, 0.9, TrialState.RUNNING, 0.99, 0.99, 0.99, 0.99),
                at(10, 0.9, TrialState.QUEUED),
                at(11, 0.9, TrialState.PRUNED));
        List<TrialHistory.Trial> search = new TrialHistory(trials).search();
        // ranked, best first: 1 (0.5), 2 (0.2); then epoch 3: 5 (0.8), 4 (0.7), 6 (NaN); then epoch 1: 3 (0.9).
        // Stopped, failed and epoch-less pruned trials are not ranked; running and queued ones are bad (the liar).
        TpeSplit half = TpeSplit.of(search, Direction.MAXIMIZE, 0.5);
        assertEquals(6, half.ranked());
        assertEquals(List.of(1, 2, 5), numbers(half.good()));
        assertEquals(List.of(3, 4, 6, 9, 10), numbers(half.bad()));
        assertEquals(List.of(1, 2, 4, 5), numbers(TpeSplit.of(search, Direction.MAXIMIZE, 0.6).good()));
        assertEquals(List.of(1, 2, 4, 5, 6), numbers(TpeSplit.of(search, Direction.MAXIMIZE, 0.7).good()));
        // minimised: 2 (0.2), 1 (0.5); then epoch 3: 4 (0.7), 5 (0.8), 6 (NaN); then 3
        assertEquals(List.of(1, 2, 4), numbers(TpeSplit.of(search, Direction.MINIMIZE, 0.5).good()));
        assertEquals(List.of(1, 2, 4, 5), numbers(TpeSplit.of(search, Direction.MINIMIZE, 0.6).good()));
        // a complete trial outranks any pruned one, whatever their values
        TpeSplit one = TpeSplit.of(List.of(at(1, 0.1, TrialState.COMPLETE, 0.01),
                at(2, 0.2, TrialState.PRUNED, 0.9, 0.9, 0.9, 0.9)), Direction.MAXIMIZE, 0.1);
        assertEquals(List.of(1), numbers(one.good()));
        assertEquals(List.of(2), numbers(one.bad()));
    }

    @Test
    void aPrunedOrPausedTrialWithAnEpochCountsTowardsTheStartup() {
        TpeSampler tpe = new TpeSampler(new SearchSpec.TpeOptions(3, 0.1, 24, false), Direction.MAXIMIZE);
        List<TrialHistory.Trial> two = List.of(at(1, 0.1, TrialState.COMPLETE, 0.5),
                at(2, 0.2, TrialState.COMPLETE, 0.6));
        for (long seed = 1; seed <= 5; seed++) {
            Assignment random = tpe.propose(SPACE, TrialHistory.EMPTY, new SplittableRandom(seed)).orElseThrow();
            for (TrialState notCounted : List.of(TrialState.STOPPED, TrialState.FAILED)) {
                List<TrialHistory.Trial> t = new ArrayList<>(two);
                t.add(at(3, 0.9, notCounted, 0.7, 0.7));
                assertEquals(random, tpe.propose(SPACE, new TrialHistory(t), new SplittableRandom(seed))
                        .orElseThrow(), notCounted + " is not counted");
            }
            List<TrialHistory.Trial> epochless = new ArrayList<>(two);
            epochless.add(at(3, 0.9, TrialState.PRUNED));
            assertEquals(random, tpe.propose(SPACE, new TrialHistory(epochless), new SplittableRandom(seed))
                    .orElseThrow(), "a pruned trial without an epoch is not counted");
            for (TrialState counted : List.of(TrialState.PRUNED, TrialState.PAUSED)) {
                List<TrialHistory.Trial> t = new ArrayList<>(two);
                t.add(at(3, 0.9, counted, 0.7));
                assertNotEquals(random, tpe.propose(SPACE, new TrialHistory(t), new SplittableRandom(seed))
                        .orElseThrow(), counted + " ends the startup");
            }
        }
    }

    /**
     * One COMPLETE trial at x = 0.2, nine pruned at epoch 1 around it and in the middle (and at 0.98), and trial 11 at
     * x = 0.9 with a good value at epoch 3. Pruned, trial 11 ranks second of 11 and joins the good trials
     * (ceil(0.1 · 11) = 2), so proposals come near 0.9; left out (STOPPED, which TPE does not learn from), they stay
     * near 0.2. Of 200 proposals, 37 came within 0.1 of 0.9 with trial 11 pruned and none without it when written.
     */
    @Test
    void aPrunedTrialWithAGoodValueAtALateEpochPullsProposalsTowardIt() {
        TpeSampler tpe = new TpeSampler(new SearchSpec.TpeOptions(1, 0.1, 24, false), Direction.MAXIMIZE);
        List<TrialHistory.Trial> trials = new ArrayList<>();
        trials.add(at(1, 0.2, TrialState.COMPLETE, 0.6, 0.7, 0.75, 0.8));
        double[] badX = {0.02, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.98};
        for (int i = 0; i < badX.length; i++) {
            trials.add(at(2 + i, badX[i], TrialState.PRUNED, 0.3 + 0.02 * i));
        }
        TrialHistory pruned = new TrialHistory(trials).with(at(11, 0.9, TrialState.PRUNED, 0.5, 0.7, 0.78));
        TrialHistory ignored = new TrialHistory(trials).with(at(11, 0.9, TrialState.STOPPED, 0.5, 0.7, 0.78));
        int nearPruned = 0;
        int nearIgnored = 0;
        for (long seed = 1; seed <= 200; seed++) {
            nearPruned += tpe.propose(SPACE, pruned, new SplittableRandom(seed)).orElseThrow().values().get("x")
                    instanceof Double x && Math.abs(x - 0.9) < 0.1 ? 1 : 0;
            nearIgnored += tpe.propose(SPACE, ignored, new SplittableRandom(seed)).orElseThrow().values().get("x")
                    instanceof Double x && Math.abs(x - 0.9) < 0.1 ? 1 : 0;
        }
        assertTrue(nearPruned >= 20 && 4 * nearIgnored <= nearPruned, "of 200 proposals within 0.1 of 0.9: "
                + nearPruned + " with trial 11 pruned, " + nearIgnored + " with it left out");
    }
}
