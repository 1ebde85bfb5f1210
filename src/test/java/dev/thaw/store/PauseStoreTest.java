package dev.thaw.store;

import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trial's pauses and thaws in a real H2 file: states, checkpoint records, epochs kept and dropped. */
class PauseStoreTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    private static TrialDraft draft() {
        return new TrialDraft(new Assignment(Map.of("learning_rate", 0.01)), 42, "sha256:abc", "0.1", "1.0.0-M2.1", "17");
    }

    private static TrialResult result() {
        ClassificationReport r = new ClassificationReport(List.of(0, 1), new int[][]{{5, 0}, {1, 4}});
        return new TrialResult(r, 0.4, Optional.empty(), 3);
    }

    private static MetricPoint epoch(int e, double value) {
        return new MetricPoint(e, 1.0 / e, 1.0 / e, value, value);
    }

    @Test
    void aPausedTrialKeepsItsCheckpointUntilItEndsAndARerunAfterAThawKeepsTheEpochsBeforeIt() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord t = trials.create(study, 1, draft());
            trials.start(t, "w");
            trials.recordEpoch(t.id(), epoch(1, 0.5));
            Path folder = dir.resolve("ckpt/trial-1");
            trials.pause(t.id(), 1, "rung 1: 0.50 is not in the top 1/3", folder);

            TrialRecord paused = trials.get(t.id());
            assertEquals(TrialState.PAUSED, paused.state());
            assertEquals(Optional.of("rung 1: 0.50 is not in the top 1/3"), paused.reason());
            assertEquals(Optional.of(new Checkpoint(folder.toAbsolutePath(), 1)), trials.checkpoint(t.id()));
            assertEquals(1, trials.pauses(t.id()).size());
            assertTrue(trials.pauses(t.id()).get(0).thawedAt().isEmpty());
            assertThrows(IllegalTransitionException.class, () -> trials.cancel(t.id(), "x"),
                    "only a queued trial is cancelled");

            trials.thaw(t.id());
            assertEquals(TrialState.QUEUED, trials.get(t.id()).state());
            assertTrue(trials.pauses(t.id()).get(0).thawedAt().isPresent());
            assertTrue(trials.checkpoint(t.id()).isPresent(), "it resumes from the checkpoint");

            TrialRecord resumed = trials.start(trials.get(t.id()), "w2");
            assertEquals(paused.started(), trials.get(t.id()).started(),
                    "a thawed trial keeps its first start: its time runs from there, pauses included");
            trials.recordEpoch(t.id(), epoch(2, 0.6));
            trials.requeue(resumed.id()); // its process died after epoch 2: it reruns from the checkpoint
            assertEquals(List.of(1), trials.epochs(t.id()).stream().map(MetricPoint::epoch).toList());
            assertEquals(1, trials.get(t.id()).epochs());
            assertTrue(trials.checkpoint(t.id()).isPresent());

            trials.start(trials.get(t.id()), "w3");
            trials.finish(t.id(), TrialState.COMPLETE, 0.9, result(), null);
            assertTrue(trials.checkpoint(t.id()).isEmpty(), "a checkpoint is recorded only while it may be needed");
            assertEquals(1, trials.pauses(t.id()).size(), "its pause stays in its history");
        }
    }

    @Test
    void aThawedTrialNotYetResumedPausesAgainWhenItsStudyStopsAndAPausedTrialStopsAtOnce() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord t = trials.create(study, 1, draft());
            trials.start(t, "w");
            trials.recordEpoch(t.id(), epoch(1, 0.5));
            trials.pause(t.id(), 1, "not in the top 1/3", dir.resolve("c1"));
            trials.thaw(t.id());
            trials.unthaw(t.id());
            assertEquals(TrialState.PAUSED, trials.get(t.id()).state());
            assertEquals(Optional.of("not in the top 1/3"), trials.get(t.id()).reason());
            assertTrue(trials.pauses(t.id()).get(0).thawedAt().isEmpty());

            TrialRecord fresh = trials.create(study, 2, draft());
            assertThrows(IllegalTransitionException.class, () -> trials.unthaw(fresh.id()),
                    "a trial without a checkpoint has nothing to pause with");

            Optional<Checkpoint> had = trials.stopPaused(t.id(), "not worth it");
            assertEquals(1, had.orElseThrow().epoch());
            TrialRecord stopped = trials.get(t.id());
            assertEquals(TrialState.STOPPED, stopped.state());
            assertEquals(Optional.of("not worth it"), stopped.reason());
            assertTrue(trials.checkpoint(t.id()).isEmpty());
            assertEquals(Optional.of("not worth it"), trials.stopRequest(t.id()), "a stop of this trial itself");
            assertEquals(List.of(1), trials.epochs(t.id()).stream().map(MetricPoint::epoch).toList(),
                    "a stopped trial keeps its curve");
        }
    }

    @Test
    void prunedAndStoppedAreKeptApartAndNeitherRanks() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord pruned = trials.start(trials.create(study, 1, draft()), "w");
            trials.finish(pruned.id(), TrialState.PRUNED, 0.99, result(), "epoch 1: 0.41 is below the median 0.77");
            TrialRecord stopped = trials.start(trials.create(study, 2, draft()), "w");
            trials.finish(stopped.id(), TrialState.STOPPED, 0.98, result(), "enough");
            TrialRecord complete = trials.start(trials.create(study, 3, draft()), "w");
            trials.finish(complete.id(), TrialState.COMPLETE, 0.5, result(), null);
            assertEquals(TrialState.PRUNED, trials.get(pruned.id()).state());
            assertEquals(TrialState.STOPPED, trials.get(stopped.id()).state());
            assertEquals(3, trials.best(study, Direction.MAXIMIZE).orElseThrow().number(),
                    "only a COMPLETE trial is ever best");
            assertEquals(3, trials.finishedCount(study));
        }
    }
}
