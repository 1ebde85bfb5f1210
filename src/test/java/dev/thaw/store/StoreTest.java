package dev.thaw.store;

import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {
    @TempDir
    Path dir;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    private static final Assignment PARAMS = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 32,
            "optimizer", "adam"));

    private static TrialDraft draft() {
        return new TrialDraft(PARAMS, 42, "sha256:abc", "0.1", "1.0.0-M2.1", "17");
    }

    private static TrialResult result(double accuracy) {
        int wrong = 100 - (int) Math.round(accuracy * 100); // 100 images, 50 per class: this many of class 6 missed
        ClassificationReport r = new ClassificationReport(List.of(5, 6), new int[][]{{50, 0}, {wrong, 50 - wrong}});
        return new TrialResult(r, 0.4, Optional.empty(), 3);
    }

    @Test
    void trialsFollowTheTransitionTableAndIllegalMovesAreRefused() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord t = trials.create(study, 1, draft());
            assertEquals(TrialState.QUEUED, t.state());
            assertEquals(trials.get(t.id()), t, "create returns the trial as stored");
            assertThrows(IllegalTransitionException.class, () -> trials.finish(t.id(), TrialState.COMPLETE, 0.9, result(0.9), null));
            TrialRecord running = trials.start(t, "w");
            assertEquals(trials.get(t.id()), running, "start returns the trial as stored");
            trials.finish(t.id(), TrialState.COMPLETE, 0.9, result(0.9), null);
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                    () -> trials.start(t, "w"));
            assertEquals("trial " + t.id() + " is COMPLETE; it cannot move to RUNNING", e.getMessage());
            assertThrows(IllegalTransitionException.class, () -> trials.fail(t.id(), "late"));
            assertEquals(TrialState.COMPLETE, trials.get(t.id()).state());
            assertEquals(Optional.of(0.9), trials.get(t.id()).score());
        }
    }

    /**
     * Only a queued trial is cancelled. A stop's driver reads a trial QUEUED, the trial starts, then the driver
     * cancels it: that moved the running trial to PRUNED, so it trained on unrecorded and its end threw (PRUNED to
     * COMPLETE) with a stack trace on the terminal, and its number held no score where an uninterrupted study had one.
     */
    @Test
    void aTrialThatStartedIsNotCancelled() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord t = trials.create(study, 1, draft());
            trials.start(t, "w");
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                    () -> trials.cancel(t.id(), "by request: enough"));
            assertEquals("trial " + t.id() + " is RUNNING; it cannot move to STOPPED", e.getMessage());
            assertEquals(TrialState.RUNNING, trials.get(t.id()).state());
            trials.finish(t.id(), TrialState.COMPLETE, 0.9, result(0.9), null);
            assertEquals(Optional.of(0.9), trials.get(t.id()).score());

            TrialRecord queued = trials.create(study, 2, draft());
            trials.cancel(queued.id(), "by request: enough");
            assertEquals(TrialState.STOPPED, trials.get(queued.id()).state());
        }
    }

    /**
     * What samplers read of cancelled trials: one that a study's stop cancelled is withdrawn (proposed again when the
     * study continues); one stopped on its own before it started was turned down and stays in the search.
     */
    @Test
    void theHistoryTellsATrialTurnedDownFromOneWithdrawnByAStudysStop() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord withdrawn = trials.create(study, 1, draft());
            trials.cancel(withdrawn.id(), "by request: enough");
            TrialRecord turnedDown = trials.create(study, 2, draft());
            assertTrue(trials.requestStop(turnedDown.id(), "not this one"));
            trials.cancel(turnedDown.id(), "stopped before it started: not this one");
            TrialHistory history = trials.history(study);
            assertEquals(List.of(2), history.search().stream().map(TrialHistory.Trial::number).toList());
            assertTrue(history.trials().get(0).withdrawn());
            assertFalse(history.trials().get(1).withdrawn());
            assertEquals(history.trials().get(1), TrialStore.historic(trials.get(turnedDown.id()), trials.epochs(turnedDown.id()),
                    trials.stopRequest(turnedDown.id()).isPresent()));
            assertEquals(history.trials().get(0), TrialStore.historic(trials.get(withdrawn.id()), trials.epochs(withdrawn.id()),
                    trials.stopRequest(withdrawn.id()).isPresent()));
        }
    }

    @Test
    void epochTimesAreWhenEachEpochWasRecordedInEpochOrder() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            long trialId = trials.create(study, 1, draft()).id();
            Instant second = clock.instant().plusSeconds(12);
            new TrialStore(db.dataSource(), Clock.fixed(second, ZoneOffset.UTC))
                    .recordEpoch(trialId, new MetricPoint(2, 0.5, 0.6, 0.7, 0.7));
            trials.recordEpoch(trialId, new MetricPoint(1, 0.9, 0.8, 0.6, 0.6));
            assertEquals(List.of(clock.instant(), second), trials.epochTimes(trialId));
            assertEquals(List.of(), trials.epochTimes(trialId + 1));
        }
    }

    @Test
    void everythingSurvivesClosingAndReopeningTheFile() {
        long trialId;
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = studies.createOrContinue("s", "text", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1).id();
            TrialRecord created = trials.create(study, 1, draft());
            trialId = created.id();
            trials.start(created, "w");
            trials.recordEpoch(trialId, new MetricPoint(1, 0.9, 0.8, 0.6, 0.6));
            trials.recordEpoch(trialId, new MetricPoint(2, 0.5, Double.NaN, 0.7, 0.7));
            trials.finish(trialId, TrialState.COMPLETE, 0.91, result(0.91), null);
            trials.putArtifact(trialId, "model", dir.resolve("m.zip"));
            TrialRecord failed = trials.create(study, 2, draft());
            trials.start(failed, "w");
            trials.fail(failed.id(), "diverged: loss is not finite\nsecond line dropped");
        }
        assertTrue(Files.isRegularFile(dir.resolve("thaw.mv.db")));
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            StudyRecord study = studies.find("s").orElseThrow();
            List<TrialRecord> all = trials.list(study.id());
            assertEquals(2, all.size());
            TrialRecord first = all.get(0);
            assertEquals(PARAMS, first.assignment());
            assertEquals(Integer.class, first.assignment().values().get("batch_size").getClass());
            assertEquals("sha256:abc", first.datasetFingerprint());
            assertEquals(Optional.of(0.91), first.score());
            assertEquals(3, first.epochs());
            assertEquals(Optional.of(clock.instant()), first.started());
            List<MetricPoint> epochs = trials.epochs(trialId);
            assertEquals(2, epochs.size());
            assertTrue(Double.isNaN(epochs.get(1).validationLoss()));
            ClassificationReport report = trials.report(trialId, "validation", List.of(5, 6)).orElseThrow();
            assertEquals(0.91, report.accuracy());
            assertArrayEquals(new int[]{9, 41}, report.confusion()[1]);
            assertEquals(Optional.of(dir.resolve("m.zip").toAbsolutePath().normalize().toString()),
                    trials.keptFile(trialId, "model").map(KeptFile::recorded));
            assertEquals(TrialState.FAILED, all.get(1).state());
            assertEquals(Optional.of("diverged: loss is not finite"), all.get(1).error());
            assertEquals(3, trials.nextNumber(study.id()));
        }
    }

    @Test
    void theSameStudyContinuesAndADifferentOneUnderTheNameIsRefused() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            StudyRecord created = studies.createOrContinue("s", "v1", "h1", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1);
            studies.setStatus(created.id(), StudyStatus.COMPLETE);
            StudyRecord continued = studies.createOrContinue("s", "v1 with more trials", "h1", Metric.VAL_ACCURACY,
                    Direction.MAXIMIZE, 9, 1);
            assertEquals(created.id(), continued.id());
            assertEquals(9, continued.budget());
            assertEquals(StudyStatus.RUNNING, continued.status());
            assertEquals("v1 with more trials", continued.specText());
            StudyConflictException e = assertThrows(StudyConflictException.class, () -> studies.createOrContinue(
                    "s", "v2", "h2", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1));
            assertTrue(e.getMessage().startsWith("a study named 's' already exists with a different study file"));
            assertEquals(1, studies.list().size());
        }
    }

    /** Issue 11's first step: nothing in a results folder is readable by another user of the machine. */
    @Test
    void theResultsFolderAndTheDatabaseFilesArePrivate() throws Exception {
        Path fresh = dir.resolve("fresh");
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Files.setPosixFilePermissions(existing, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path results : List.of(fresh, existing)) {
            try (Database db = Database.open(Database.fileUrl(results))) {
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(results)), results.toString());
                try (var files = Files.list(results)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().startsWith("thaw.")).toList()) {
                        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(f)), f.toString());
                    }
                }
            }
        }
        assertEquals(Optional.of(fresh.toAbsolutePath()), Database.h2Folder(Database.fileUrl(fresh)));
        assertEquals(Optional.empty(), Database.h2Folder("jdbc:postgresql://h/db"));
    }

    @Test
    void bestFollowsTheDirectionAndIgnoresUnfinishedTrials() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            long study = new StudyStore(db.dataSource(), clock)
                    .createOrContinue("s", "t", "h", Metric.VAL_LOSS, Direction.MINIMIZE, 5, 1).id();
            for (double score : new double[]{0.5, 0.2, 0.7}) {
                TrialRecord t = trials.create(study, trials.nextNumber(study), draft());
                trials.start(t, "w");
                trials.finish(t.id(), TrialState.COMPLETE, score, result(score), null);
            }
            trials.create(study, trials.nextNumber(study), draft());
            assertEquals(2, trials.best(study, Direction.MINIMIZE).orElseThrow().number());
            assertEquals(3, trials.best(study, Direction.MAXIMIZE).orElseThrow().number());
        }
    }
}
