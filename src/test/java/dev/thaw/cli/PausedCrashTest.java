package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialState;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeze–thaw under {@code kill -9}: a study with ASHA in pause mode is killed while trials are paused and one runs,
 * and again while a thawed trial runs from its checkpoint; run again, it ends exactly as the same study run without
 * a kill — the same trials in the same states, every epoch of every trial recorded once with the same values (a
 * thawed trial continued bit for bit from its checkpoint), and checkpoints only for the trials still paused.
 */
class PausedCrashTest {
    private static final int BUDGET = 6;
    private static final int EPOCHS = 4;

    @TempDir
    Path dir;

    private String study(Path results) {
        Fixture f = Fixture.get();
        return StudyFiles.tiny("freeze", f.data, f.sourceModel, results, BUDGET, EPOCHS)
                + "pruner:\n  type: asha\n  min_epochs: 1\n  reduction_factor: 2\n  mode: pause\n";
    }

    private static StudyDb db(Path results) {
        return new StudyDb(Database.fileUrl(results));
    }

    private void runUntil(Path results, Path studyFile, String log, Predicate<List<TrialRecord>> condition,
                          String what) throws Exception {
        try (ChildThaw child = ChildThaw.start(dir.resolve(log), "run", studyFile.toString())) {
            Files.createDirectories(results);
            while (!Files.exists(results.resolve("thaw.mv.db"))) {
                assertTrue(child.alive(), "thaw exited before creating its database:\n" + child.output());
                Thread.sleep(50);
            }
            try {
                db(results).await("freeze", condition, child::alive, what);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthaw's output:\n" + child.output(), e);
            }
            child.kill9();
        }
    }

    private void runToEnd(Path studyFile, String log) throws Exception {
        try (ChildThaw child = ChildThaw.start(dir.resolve(log), "run", studyFile.toString())) {
            assertEquals(0, child.waitFor(300), child.output());
        }
    }

    @Test
    void killedWhilePausedAndWhileThawedTheStudyEndsAsAnUninterruptedOne() throws Exception {
        Path results = dir.resolve("results");
        Path studyFile = dir.resolve("freeze.yaml");
        Files.writeString(studyFile, study(results));
        runUntil(results, studyFile, "run-1.log", t -> t.stream().anyMatch(r -> r.state() == TrialState.PAUSED)
                && t.stream().anyMatch(r -> r.state() == TrialState.RUNNING && r.epochs() >= 1),
                "a paused trial while another runs");
        List<TrialRecord> atKill = db(results).trials("freeze");
        List<TrialRecord> pausedAtKill = atKill.stream().filter(t -> t.state() == TrialState.PAUSED).toList();
        for (TrialRecord t : pausedAtKill) {
            assertTrue(Files.isDirectory(results.resolve("freeze/checkpoints/trial-" + t.number())),
                    "a paused trial's checkpoint is on disk: " + t);
        }
        runUntil(results, studyFile, "run-2.log", t -> t.stream().anyMatch(r -> r.state() == TrialState.RUNNING
                && r.epochs() > 1 && pausedAtKill.stream().anyMatch(p -> p.id() == r.id()) || r.state()
                == TrialState.RUNNING && r.epochs() >= 2 && r.attempts() > 1), "a thawed trial running again");
        runToEnd(studyFile, "final.log");

        Path calm = dir.resolve("calm");
        Path calmFile = dir.resolve("calm.yaml");
        Files.writeString(calmFile, study(calm));
        runToEnd(calmFile, "calm.log");

        List<TrialRecord> killed = db(results).trials("freeze");
        List<TrialRecord> uninterrupted = db(calm).trials("freeze");
        assertEquals(BUDGET, killed.size(), killed.toString());
        assertEquals(uninterrupted.stream().map(TrialRecord::assignment).toList(),
                killed.stream().map(TrialRecord::assignment).toList(), "the same trials were proposed");
        assertEquals(uninterrupted.stream().map(TrialRecord::state).toList(),
                killed.stream().map(TrialRecord::state).toList(), "and ended in the same states");
        Map<Integer, List<MetricPoint>> curves = db(results).curves("freeze");
        assertEquals(db(calm).curves("freeze"), curves,
                "every epoch of every trial recorded once, with the values an uninterrupted study records");
        assertTrue(killed.stream().anyMatch(t -> t.state() == TrialState.PAUSED)
                || killed.stream().anyMatch(t -> t.attempts() > 1), killed.toString());
        assertFalse(pausedAtKill.isEmpty());
        for (TrialRecord t : killed) {
            assertEquals(t.state() == TrialState.PAUSED,
                    Files.isDirectory(results.resolve("freeze/checkpoints/trial-" + t.number())),
                    "only paused trials keep a checkpoint: " + t);
        }

        // a user stops a paused trial: no process runs it, so it is STOPPED at once and its checkpoint goes
        TrialRecord paused = killed.stream().filter(t -> t.state() == TrialState.PAUSED).findFirst().orElse(null);
        if (paused != null) {
            Cli stop = Cli.run("stop", "freeze", "--trial", Integer.toString(paused.number()), "--reason",
                    "not worth a thaw", "--results", results.toString());
            assertEquals(0, stop.exit(), stop.toString());
            TrialRecord stopped = db(results).trials("freeze").get(paused.number() - 1);
            assertEquals(TrialState.STOPPED, stopped.state());
            assertEquals(java.util.Optional.of("not worth a thaw"), stopped.reason());
            assertFalse(Files.exists(results.resolve("freeze/checkpoints/trial-" + paused.number())));
        }
    }
}
