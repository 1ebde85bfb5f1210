package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled studies: stored in the database, fired by a worker started afterwards, listed and removed. */
class ScheduleTest {
    @TempDir
    Path dir;

    private List<TrialRecord> trials(Path results, String name) {
        return new StudyDb(Database.fileUrl(results)).trials(name);
    }

    @Test
    void aStudyScheduledForSoonRunsOnAWorkerStartedLater() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("soon.yaml");
        Files.writeString(study, StudyFiles.tiny("soon", f.data, f.sourceModel, results, 2, 2));

        Cli schedule = Cli.run("schedule", study.toString(), "--at", "+2s");
        assertEquals(0, schedule.exit(), schedule.toString());
        assertTrue(schedule.out().startsWith("scheduled study 'soon', first run at "), schedule.out());
        Cli listed = Cli.run("schedules", "--results", results.toString());
        assertTrue(listed.out().startsWith("soon"), listed.toString());
        assertTrue(listed.out().contains("next "), listed.out());

        try (ChildThaw worker = ChildThaw.start(dir.resolve("worker.log"), "worker", "--results", results.toString())) {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
            while (trials(results, "soon").stream().filter(t -> t.state() == TrialState.COMPLETE).count() < 2) {
                assertTrue(Instant.now().isBefore(giveUp), "the scheduled study did not run:\n" + worker.output());
                assertTrue(worker.alive(), worker.output());
                Thread.sleep(200);
            }
            assertTrue(worker.output().contains("schedule soon fired: running study soon"), worker.output());
        }
        Cli done = Cli.run("schedules", "--results", results.toString());
        assertTrue(done.out().contains("done"), done.out());
    }

    @Test
    void cronSchedulesAreCheckedListedAndRemoved() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("nightly.yaml");
        Files.writeString(study, StudyFiles.tiny("nightly", f.data, f.sourceModel, results, 2, 1));

        Cli bad = Cli.run("schedule", study.toString(), "--cron", "every night");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().startsWith("error: --cron: "), bad.err());
        Cli badAt = Cli.run("schedule", study.toString(), "--at", "tomorrow");
        assertEquals(2, badAt.exit(), badAt.toString());
        assertTrue(badAt.err().startsWith("error: --at: cannot read 'tomorrow'"), badAt.err());

        assertEquals(0, Cli.run("schedule", study.toString(), "--cron", "0 0 2 * * ?").exit());
        Cli twice = Cli.run("schedule", study.toString(), "--cron", "0 0 3 * * ?");
        assertEquals(2, twice.exit(), twice.toString());
        assertTrue(twice.err().contains("a schedule named 'nightly' exists"), twice.err());
        Cli listed = Cli.run("schedules", "--results", results.toString());
        assertTrue(listed.out().contains("cron \"0 0 2 * * ?\"") && listed.out().contains("next "), listed.out());

        assertEquals(0, Cli.run("schedules", "--remove", "nightly", "--results", results.toString()).exit());
        Cli empty = Cli.run("schedules", "--results", results.toString());
        assertTrue(empty.out().startsWith("no scheduled studies"), empty.out());
    }
}
