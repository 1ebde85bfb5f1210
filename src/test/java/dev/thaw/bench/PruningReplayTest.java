package dev.thaw.bench;

import dev.thaw.bench.PruningReplay.End;
import dev.thaw.bench.PruningReplay.Run;
import dev.thaw.bench.PruningReplay.Segment;
import dev.thaw.search.NopPruner;
import dev.thaw.search.Pruner;
import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.study.Direction;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PruningReplayTest {
    /** One configuration of four epochs, val_accuracy 0.1·epoch, the first epoch 10 s and the others 1 s each. */
    private static final GridTable.Config CURVE = new GridTable.Config(7, 1e-3, 16, 0.0, "sgd", 0, List.of(
            new GridTable.Epoch(1, 0.1, 2.0, 10), new GridTable.Epoch(2, 0.2, 1.5, 1),
            new GridTable.Epoch(3, 0.3, 1.2, 1), new GridTable.Epoch(4, 0.4, 1.0, 1)));
    /** Every proposal snaps to the only configuration. */
    private static final ReplaySpace REPLAY = new ReplaySpace(new GridTable(List.of(), List.of(CURVE)));

    private static Sampler random(long seed) {
        return new SamplerFactory().create(new SearchSpec(SearchSpec.Algorithm.RANDOM, 100, seed, Optional.empty(), 3,
                SearchSpec.TpeOptions.DEFAULT), ReplaySpace.space(), Direction.MAXIMIZE);
    }

    /** What the pruner was shown: the trial asked about and the whole history, once per call. */
    private record Call(TrialHistory.Trial trial, TrialHistory history) {
    }

    /**
     * Pauses trial 1 after its first epoch and thaws it once trial 3 is COMPLETE; prunes trial 2 after its second
     * epoch; lets everything else go on.
     */
    private static final class Scripted implements Pruner {
        final List<Call> calls = new ArrayList<>();

        @Override
        public PruneDecision decide(TrialHistory history, TrialHistory.Trial trial) {
            calls.add(new Call(trial, history));
            int epoch = trial.epochs().get(trial.epochs().size() - 1).epoch();
            if (trial.number() == 1 && trial.state() == TrialState.RUNNING && epoch == 1) {
                return PruneDecision.pause("epoch 1: scripted");
            }
            if (trial.number() == 1 && trial.state() == TrialState.PAUSED) {
                boolean third = history.trials().stream().anyMatch(t -> t.number() == 3
                        && t.state() == TrialState.COMPLETE);
                return third ? PruneDecision.CONTINUE : PruneDecision.pause("waiting for trial 3");
            }
            if (trial.number() == 2 && epoch == 2) {
                return PruneDecision.prune("epoch 2: scripted");
            }
            return PruneDecision.CONTINUE;
        }
    }

    @Test
    void aPrunedTrialCostsTheEpochsItRanAndAPausedOneTheEpochsBeforeAndAfterItsThaw() {
        Run run = PruningReplay.run(REPLAY, random(1), new Scripted(), 1, 20);
        assertEquals(List.of(
                new Segment(1, CURVE, 1, 1, End.PAUSED),
                new Segment(2, CURVE, 1, 2, End.PRUNED),
                new Segment(3, CURVE, 1, 4, End.COMPLETE),
                new Segment(1, CURVE, 2, 4, End.COMPLETE), // thawed before trial 4 was proposed, went on at epoch 2
                new Segment(4, CURVE, 1, 4, End.COMPLETE),
                new Segment(5, CURVE, 1, 4, End.COMPLETE),
                new Segment(6, CURVE, 1, 2, End.CUT)), run.segments());
        assertEquals(20, run.epochs());
        assertEquals(List.of(10.0, 11.0, 13.0, 3.0, 13.0, 13.0, 11.0),
                run.segments().stream().map(Segment::seconds).toList());
        // trial 3 is the first COMPLETE: 1 + 2 + 4 epochs, 10 + 11 + 13 seconds
        assertEquals(7, run.epochsTo(0.4, 20));
        assertEquals(34.0, run.secondsTo(0.4));
        assertEquals(21, run.epochsTo(0.5, 20));
        assertEquals(6, run.trials());
        assertEquals(1, run.count(End.PAUSED));
        assertEquals(1, run.count(End.PRUNED));
    }

    @Test
    void thePrunerSeesTheHistoryTheStoreWouldHold() {
        Scripted pruner = new Scripted();
        PruningReplay.run(REPLAY, random(1), pruner, 1, 20);
        // trial 2 after its second epoch: trial 1 PAUSED with one epoch and no score, trial 2 RUNNING with two
        Call atPrune = pruner.calls.stream().filter(c -> c.trial().number() == 2 && c.trial().epochs().size() == 2)
                .findFirst().orElseThrow();
        assertEquals(TrialState.RUNNING, atPrune.trial().state());
        assertEquals(List.of(new MetricPoint(1, Double.NaN, 2.0, 0.1, 0.1), new MetricPoint(2, Double.NaN, 1.5, 0.2,
                0.2)), atPrune.trial().epochs());
        TrialHistory.Trial paused = atPrune.history().trials().get(0);
        assertEquals(TrialState.PAUSED, paused.state());
        assertEquals(Optional.empty(), paused.score());
        assertEquals(1, paused.epochs().size());
        assertEquals(List.of(1, 2), atPrune.history().trials().stream().map(TrialHistory.Trial::number).toList());
        // trial 1 after its thaw, at epoch 3: its curve goes on; trial 2 is PRUNED with the value it reached, 3 COMPLETE
        Call resumed = pruner.calls.stream().filter(c -> c.trial().number() == 1 && c.trial().epochs().size() == 3)
                .findFirst().orElseThrow();
        assertEquals(TrialState.RUNNING, resumed.trial().state());
        assertEquals(List.of(1, 2, 3), resumed.trial().epochs().stream().map(MetricPoint::epoch).toList());
        TrialHistory.Trial pruned = resumed.history().trials().get(1);
        assertEquals(TrialState.PRUNED, pruned.state());
        assertEquals(Optional.of(0.2), pruned.score());
        TrialHistory.Trial complete = resumed.history().trials().get(2);
        assertEquals(TrialState.COMPLETE, complete.state());
        assertEquals(Optional.of(0.4), complete.score());
        // never asked after a trial's last epoch
        assertEquals(0, pruner.calls.stream().filter(c -> c.trial().epochs().size() == 4).count());
    }

    @Test
    void withoutAPrunerEveryTrialCostsItsWholeCurve() {
        Run run = PruningReplay.run(REPLAY, random(3), new NopPruner(), 3, 10);
        assertEquals(List.of(new Segment(1, CURVE, 1, 4, End.COMPLETE), new Segment(2, CURVE, 1, 4, End.COMPLETE),
                new Segment(3, CURVE, 1, 2, End.CUT)), run.segments());
        // nothing COMPLETE before epoch 4; the cut trial never counts
        assertEquals(List.of(0.0, 0.0, 0.0, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4),
                java.util.Arrays.stream(run.bestByEpoch(10)).boxed().toList());
    }
}
