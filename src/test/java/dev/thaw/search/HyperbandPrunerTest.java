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

import static dev.thaw.search.PrunerHistories.flat;
import static dev.thaw.search.PrunerHistories.of;
import static dev.thaw.search.PrunerHistories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hyperband with η = 3 from epoch 1 over 27 epochs: brackets with rungs [1, 3, 9], [3, 9], [9] and []. */
class HyperbandPrunerTest extends PrunerContractTest {
    static HyperbandPruner hyperband(int minEpochs, int eta, PrunerSpec.Mode mode, Direction direction, int epochs) {
        return (HyperbandPruner) new PrunerFactory().create(new PrunerSpec(PrunerSpec.Type.HYPERBAND, minEpochs, eta,
                mode, 1, 5), direction, epochs);
    }

    @Override
    Pruner pruner(Direction direction) {
        return hyperband(1, 3, PrunerSpec.Mode.STOP, direction, EPOCHS);
    }

    /** The contract in pause mode. */
    @Nested
    class PauseMode extends PrunerContractTest {
        @Override
        Pruner pruner(Direction direction) {
            return hyperband(1, 3, PrunerSpec.Mode.PAUSE, direction, EPOCHS);
        }
    }

    private static List<Long> weights(HyperbandPruner h) {
        List<Long> out = new ArrayList<>();
        for (int b = 0; b < h.brackets(); b++) {
            out.add(h.weight(b));
        }
        return out;
    }

    private static List<List<Integer>> rungs(HyperbandPruner h) {
        List<List<Integer>> out = new ArrayList<>();
        for (int b = 0; b < h.brackets(); b++) {
            for (int n = 1; ; n++) {
                if (h.bracketOf(n) == b) {
                    out.add(h.rungsOf(n));
                    break;
                }
            }
        }
        return out;
    }

    @Test
    void bracketsFollowThePapersCountAndTrialNumbers() {
        // B = floor(log_η(E / m)) + 1; w_b = ceil(B η^s / (s + 1)) with s = B - 1 - b
        HyperbandPruner h = hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 27);
        assertEquals(List.of(List.of(1, 3, 9), List.of(3, 9), List.of(9), List.of()), rungs(h));
        assertEquals(List.of(27L, 12L, 6L, 4L), weights(h));
        HyperbandPruner notAPower = hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 10);
        assertEquals(List.of(List.of(1, 3, 9), List.of(3, 9), List.of(9)), rungs(notAPower));
        assertEquals(List.of(9L, 5L, 3L), weights(notAPower));
        HyperbandPruner two = hyperband(1, 2, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 8);
        assertEquals(List.of(List.of(1, 2, 4), List.of(2, 4), List.of(4), List.of()), rungs(two));
        assertEquals(List.of(8L, 6L, 4L, 4L), weights(two));
        HyperbandPruner four = hyperband(2, 4, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 40);
        assertEquals(List.of(List.of(2, 8, 32), List.of(8, 32), List.of(32)), rungs(four));
        assertEquals(List.of(16L, 6L, 3L), weights(four));
        // one bracket without a rung when the budget does not reach past the first rung
        for (int[] s : new int[][] {{1, 1}, {3, 2}, {3, 3}}) {
            HyperbandPruner one = hyperband(s[0], 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, s[1]);
            assertEquals(1, one.brackets());
            assertEquals(List.of(), one.rungsOf(7));
        }
    }

    @Test
    void everyRunOfTConsecutiveNumbersGivesEachBracketItsWeight() {
        for (HyperbandPruner h : List.of(hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 27),
                hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 10),
                hyperband(1, 2, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 100),
                hyperband(2, 4, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 40))) {
            long total = weights(h).stream().mapToLong(Long::longValue).sum();
            for (int start : new int[] {0, 1, 17, 1000}) {
                long[] count = new long[h.brackets()];
                for (int n = start; n < start + 5 * total; n++) {
                    count[h.bracketOf(n)]++;
                }
                for (int b = 0; b < h.brackets(); b++) {
                    assertEquals(5 * h.weight(b), count[b], "bracket " + b + " from " + start);
                }
            }
            // the first trials already spread over the brackets: each appears within the first T numbers, and
            // within any 3T/w_b numbers (the aggressive brackets are not all served first)
            for (int b = 0; b < h.brackets(); b++) {
                int gap = 0;
                int longest = 0;
                for (int n = 1; n <= 3 * total; n++) {
                    gap = h.bracketOf(n) == b ? 0 : gap + 1;
                    longest = Math.max(longest, gap);
                }
                assertTrue(longest < 3 * total / h.weight(b), "bracket " + b + ": " + longest + " numbers without it");
            }
        }
    }

    @Test
    void theBracketDependsOnTheNumberAloneAndIsTheSameForEveryInstance() {
        HyperbandPruner a = hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 27);
        HyperbandPruner b = hyperband(1, 3, PrunerSpec.Mode.PAUSE, Direction.MINIMIZE, 27);
        List<Integer> first = new ArrayList<>();
        for (int n = 0; n < 2000; n++) {
            assertEquals(a.bracketOf(n), b.bracketOf(n));
            if (n >= 1 && n <= 12) {
                first.add(a.bracketOf(n));
            }
        }
        // T = 49, k = round(49 / φ) = 30: slot (30 n) mod 49; slots 0-26 bracket 0, 27-38 bracket 1, 39-44 bracket 2, 45-48 bracket 3
        assertEquals(List.of(1, 0, 2, 0, 0, 1, 0, 2, 0, 0, 1, 0), first);
        assertThrows(IllegalArgumentException.class, () -> hyperband(1, 3, PrunerSpec.Mode.STOP,
                Direction.MAXIMIZE, 0));
        // a budget whose weights sum past 2^31 (31 brackets): still a bracket per number, the most to bracket 0
        HyperbandPruner huge = hyperband(1, 2, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 1 << 30);
        assertEquals(31, huge.brackets());
        assertEquals(1L << 30, huge.weight(0));
        int[] count = new int[huge.brackets()];
        for (int n = 1; n <= 1000; n++) {
            count[huge.bracketOf(n)]++;
        }
        for (int k = 1; k < count.length; k++) {
            assertTrue(count[0] > count[k], "bracket 0: " + count[0] + ", bracket " + k + ": " + count[k]);
        }
    }

    /** Search trials numbered from 2 that fall in {@code bracket}, {@code count} of them. */
    private static List<Integer> numbersIn(HyperbandPruner h, int bracket, int count) {
        List<Integer> out = new ArrayList<>();
        for (int n = 2; out.size() < count; n++) {
            if (h.bracketOf(n) == bracket) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void eachBracketIsAshaAtItsOwnRungsAgainstItsOwnTrials() {
        HyperbandPruner h = hyperband(1, 3, PrunerSpec.Mode.STOP, Direction.MAXIMIZE, 27);
        List<Integer> zero = numbersIn(h, 0, 6);
        List<Integer> one = numbersIn(h, 1, 4);
        List<Integer> last = numbersIn(h, 3, 2);
        List<TrialHistory.Trial> trials = new ArrayList<>();
        // bracket 0: six finished trials far better at every epoch
        for (int n : zero) {
            trials.add(trial(n, TrialState.COMPLETE, flat(0.9, EPOCHS)));
        }
        // bracket 1: three trials with 0.5 at epoch 3
        for (int n : one.subList(0, 3)) {
            trials.add(trial(n, TrialState.RUNNING, flat(0.5, 4)));
        }
        int mine = one.get(3);
        // at epoch 1 bracket 1 has no rung: it goes on though bracket 0 would cut it
        TrialHistory.Trial atOne = trial(mine, TrialState.RUNNING, 0.1);
        assertEquals(PruneDecision.CONTINUE, h.decide(of(trials).with(atOne), atOne));
        // at epoch 3, its first rung, it competes with bracket 1 only: the best of 4 goes on
        TrialHistory.Trial best = trial(mine, TrialState.RUNNING, 0.1, 0.1, 0.6);
        assertEquals(PruneDecision.CONTINUE, h.decide(of(trials).with(best), best));
        TrialHistory.Trial worst = trial(mine, TrialState.RUNNING, 0.1, 0.1, 0.4);
        assertEquals(PruneDecision.prune("bracket 1, rung 1 (epoch 3): 0.4 is not in the top 1/3 (1 of 4 go on, "
                + "cut-off 0.5)"), h.decide(of(trials).with(worst), worst));
        // bracket 0 prunes at epoch 1 against its own trials
        TrialHistory.Trial early = trial(numbersIn(h, 0, 7).get(6), TrialState.RUNNING, 0.5);
        assertEquals(PruneDecision.prune("bracket 0, rung 1 (epoch 1): 0.5 is not in the top 1/3 (2 of 7 go on, "
                + "cut-off 0.9)"), h.decide(of(trials).with(early), early));
        // the last bracket has no rung: its trials always go on
        for (int e = 1; e < EPOCHS; e++) {
            TrialHistory.Trial hopeless = trial(last.get(1), TrialState.RUNNING, flat(0.0, e));
            assertEquals(PruneDecision.CONTINUE, h.decide(of(trials).with(hopeless), hopeless), "epoch " + e);
        }
    }

    @Test
    void theBusyHistoryHasBothDecisions() {
        List<String> d = decisions(pruner(Direction.MAXIMIZE), busy(1));
        assertTrue(d.stream().anyMatch(x -> x.contains(": PRUNE ")), "some pruned");
        assertTrue(d.stream().anyMatch(x -> x.contains(": CONTINUE ")), "some go on");
    }
}
