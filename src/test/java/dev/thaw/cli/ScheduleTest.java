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

        // the worker the schedule's message suggests, started as printed
        String worker = Cli.printed(schedule.out(), "a worker on this database runs it: ");
        assertEquals("scripts/thaw worker --results " + results, worker);
        try (ChildThaw child = ChildThaw.startPrinted(dir.resolve("worker.log"), worker)) {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
            while (trials(results, "soon").stream().filter(t -> t.state() == TrialState.COMPLETE).count() < 2) {
                assertTrue(Instant.now().isBefore(giveUp), "the scheduled study did not run:\n" + child.output());
                assertTrue(child.alive(), child.output());
                Thread.sleep(200);
            }
            assertTrue(child.output().contains("schedule soon fired: running study soon"), child.output());
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
        assertTrue(twice.err().startsWith("error: a schedule named 'nightly' exists; remove it first with: "),
                twice.err());
        Cli listed = Cli.run("schedules", "--results", results.toString());
        assertTrue(listed.out().contains("cron \"0 0 2 * * ?\"") && listed.out().contains("next "), listed.out());

        // every command these messages suggest runs as printed, and does what the message says
        Cli removed = Cli.runPrinted(Cli.printed(twice.err(), "remove it first with: "));
        assertEquals(0, removed.exit(), removed.toString());
        assertEquals(0, Cli.run("schedule", study.toString(), "--cron", "0 0 3 * * ?").exit());
        assertTrue(Cli.run("schedules", "--results", results.toString()).out().contains("cron \"0 0 3 * * ?\""));

        assertEquals(0, Cli.run("schedules", "--remove", "nightly", "--results", results.toString()).exit());
        Cli empty = Cli.run("schedules", "--results", results.toString());
        assertTrue(empty.out().startsWith("no scheduled studies"), empty.out());
        Cli help = Cli.runPrinted(Cli.printed(empty.out(), "how to add one: "));
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("Usage: thaw schedule "), help.out());

        Cli unknown = Cli.run("schedules", "--remove", "nightly", "--results", results.toString());
        assertEquals(2, unknown.exit(), unknown.toString());
        Cli list = Cli.runPrinted(Cli.printed(unknown.err(), "list them with: "));
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith("no scheduled studies"), list.out());
    }
}
