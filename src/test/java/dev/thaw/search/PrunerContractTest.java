package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static dev.thaw.search.PrunerHistories.baseline;
import static dev.thaw.search.PrunerHistories.flat;
import static dev.thaw.search.PrunerHistories.negated;
import static dev.thaw.search.PrunerHistories.of;
import static dev.thaw.search.PrunerHistories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Pruner} promises, whatever its rule: the same history and trial give the same decision (from a
 * new instance and from many threads at once); the baseline is never decided on and its values change nothing; NaN
 * objectives change nothing; negating every objective and the direction changes no action; a reason is one line
 * naming the trial's epoch; a trial alone in its study is never pruned. Each pruner's test extends this class.
 */
abstract class PrunerContractTest {
    /** The study's epochs per trial in these tests. */
    static final int EPOCHS = 27;

    /** A new pruner under test for a study of {@link #EPOCHS} epochs in {@code direction}. */
    abstract Pruner pruner(Direction direction);

    /**
     * A busy maximised study: the baseline (trial 1, the best values) and 60 search trials with seeded noisy
     * learning curves, COMPLETE, PRUNED, RUNNING, PAUSED, STOPPED and FAILED at assorted epochs (several at 1, 3
     * and 9, the rungs of η = 3).
     */
    static TrialHistory busy(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TrialHistory.Trial> trials = new ArrayList<>();
        trials.add(baseline(1, flat(0.99, EPOCHS)));
        int[] rungs = {1, 3, 9};
        TrialState[] states = {TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING, TrialState.PAUSED,
                TrialState.STOPPED, TrialState.FAILED};
        for (int n = 2; n <= 61; n++) {
            TrialState state = states[n % states.length];
            int epochs = switch (state) {
                case COMPLETE -> EPOCHS;
                case PRUNED, PAUSED -> rungs[random.nextInt(rungs.length)];
                default -> 1 + random.nextInt(EPOCHS - 1);
            };
            double quality = 0.3 + 0.6 * random.nextDouble();
            double[] values = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                values[e] = Math.round(1000 * quality * (1 - 0.5 * Math.exp(-(e + 1) / 3.0))
                        + 20 * (random.nextDouble() - 0.5)) / 1000.0;
            }
            trials.add(trial(n, state, values));
        }
        return of(trials);
    }

    /** The trials a pruner is asked about: the running and paused search trials with an epoch. */
    static List<TrialHistory.Trial> asked(TrialHistory history) {
        return history.search().stream()
                .filter(t -> (t.state() == TrialState.RUNNING || t.state() == TrialState.PAUSED)
                        && !t.epochs().isEmpty())
                .toList();
    }

    /**
     * For each trial of {@link #asked}, at each of its epochs: "trial n, epoch e: decision", each decided with the
     * trial cut to that epoch and the rest of {@code history} as it is.
     */
    static List<String> decisions(Pruner pruner, TrialHistory history) {
        return decisions(pruner, history, asked(history));
    }

    static List<String> decisions(Pruner pruner, TrialHistory history, List<TrialHistory.Trial> asked) {
        List<String> out = new ArrayList<>();
        for (TrialHistory.Trial t : asked) {
            for (int e = 1; e <= t.epochs().size(); e++) {
                TrialHistory.Trial cut = PrunerHistories.upTo(t, e, t.state());
                PruneDecision d = pruner.decide(history.with(cut), cut);
                out.add("trial " + t.number() + ", epoch " + e + ": " + d.action() + " " + d.reason());
            }
        }
        return out;
    }

    /** Fails at the first decision that differs. */
    static void same(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what);
        }
        assertEquals(expected.size(), actual.size(), what + ": how many decisions");
    }

    /** Only the actions of {@link #decisions}. */
    static List<String> actions(List<String> decisions) {
        return decisions.stream().map(d -> d.replaceAll("^(trial \\d+, epoch \\d+: \\w+).*$", "$1")).toList();
    }

    @Test
    void theSameHistoryGivesTheSameDecisionFromAnyInstanceAndThread() {
        for (long seed = 1; seed <= 3; seed++) {
            TrialHistory history = busy(seed);
            Pruner pruner = pruner(Direction.MAXIMIZE);
            List<String> first = decisions(pruner, history);
            same(first, decisions(pruner, history), "seed " + seed + ": asked twice");
            same(first, decisions(pruner(Direction.MAXIMIZE), history), "seed " + seed + ": new instance");
            List<List<String>> parallel = IntStream.range(0, 8).parallel()
                    .mapToObj(i -> decisions(pruner, history)).toList();
            parallel.forEach(d -> same(first, d, "from several threads at once"));
        }
    }

    @Test
    void theBaselineIsNeverDecidedOnAndItsValuesChangeNothing() {
        for (Direction direction : Direction.values()) {
            Pruner pruner = pruner(direction);
            TrialHistory history = busy(4);
            TrialHistory.Trial base = history.trials().get(0);
            assertTrue(base.baseline());
            for (int e = 1; e < EPOCHS; e++) {
                TrialHistory.Trial cut = PrunerHistories.upTo(base, e, TrialState.RUNNING);
                assertEquals(PruneDecision.CONTINUE, pruner.decide(history.with(cut), cut), "the baseline at " + e);
            }
            List<String> withBest = decisions(pruner, history);
            same(withBest, decisions(pruner, history.with(baseline(1, flat(-5, EPOCHS)))), direction.key());
            same(withBest, decisions(pruner, of(history.search())), direction.key());
        }
    }

    @Test
    void nanObjectivesChangeNothingAndATrialWithoutValuesGoesOn() {
        Pruner pruner = pruner(Direction.MAXIMIZE);
        TrialHistory history = busy(5);
        TrialHistory withNan = history;
        TrialState[] states = {TrialState.RUNNING, TrialState.PRUNED, TrialState.PAUSED, TrialState.FAILED};
        for (int i = 0; i < 12; i++) {
            withNan = withNan.with(trial(100 + i, states[i % states.length], flat(Double.NaN, 1 + 4 * i % 13)));
        }
        same(decisions(pruner, history), decisions(pruner, withNan, asked(history)), "with NaN trials");
        for (int e : new int[] {1, 2, 3, 9, 10}) {
            TrialHistory.Trial unknown = trial(200, TrialState.RUNNING, flat(Double.NaN, e));
            assertEquals(PruneDecision.CONTINUE, pruner.decide(withNan.with(unknown), unknown), "epoch " + e);
        }
    }

    @Test
    void negatingEveryObjectiveAndTheDirectionChangesNoAction() {
        for (long seed = 6; seed <= 7; seed++) {
            TrialHistory history = busy(seed);
            TrialHistory mirrored = of(history.trials().stream().map(PrunerHistories::negated).toList());
            same(actions(decisions(pruner(Direction.MAXIMIZE), history)),
                    actions(decisions(pruner(Direction.MINIMIZE), mirrored)), "seed " + seed);
        }
    }

    @Test
    void aReasonIsOneLineNamingTheTrialsEpoch() {
        for (Direction direction : Direction.values()) {
            TrialHistory history = direction == Direction.MAXIMIZE ? busy(8)
                    : of(busy(8).trials().stream().map(PrunerHistories::negated).toList());
            Pruner pruner = pruner(direction);
            for (TrialHistory.Trial t : asked(history)) {
                for (int e = 1; e <= t.epochs().size(); e++) {
                    TrialHistory.Trial cut = PrunerHistories.upTo(t, e, t.state());
                    PruneDecision d = pruner.decide(history.with(cut), cut);
                    if (d.action() == PruneDecision.Action.CONTINUE) {
                        assertEquals("", d.reason());
                    } else {
                        assertFalse(d.reason().contains("\n") || d.reason().contains("\r"), d.reason());
                        assertTrue(d.reason().contains("epoch " + e + ")") || d.reason().startsWith("epoch " + e
                                + ":"), d.reason());
                        assertFalse(d.reason().contains("NaN") || d.reason().contains("Infinity"), d.reason());
                    }
                }
            }
        }
    }

    @Test
    void aTrialAloneInItsStudyIsNeverPruned() {
        for (Direction direction : Direction.values()) {
            Pruner pruner = pruner(direction);
            for (int e = 1; e < EPOCHS; e++) {
                TrialHistory.Trial alone = trial(2, TrialState.RUNNING, flat(0.1, e));
                TrialHistory history = of(baseline(1, flat(0.9, EPOCHS)), alone);
                assertNotEquals(PruneDecision.Action.PRUNE, pruner.decide(history, alone).action(), "epoch " + e);
            }
        }
    }
}
