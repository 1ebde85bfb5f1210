package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.PruningStudy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11, case 7: {@code thaw stop --reason} refuses what the API refuses, in one line, before touching a study. */
class StopCommandTest {
    @Test
    void aReasonThatWouldRewriteTheTerminalIsRefused() throws Exception {
        Path results = Files.createTempDirectory("thaw-stop-reason");
        Cli escape = Cli.run("stop", "some-study", "--reason", "\u001b[2J\u001b]0;title\u0007\u001b[31mfake: study complete",
                "--results", results.toString());
        assertEquals(2, escape.exit(), escape.toString());
        assertEquals("error: a stop reason may not contain control, line separator, bidirectional formatting or "
                + "unpaired surrogate characters (U+001B at character 1); write it as plain text on one line",
                escape.err().strip(), escape.toString());
        Cli bidi = Cli.run("stop", "some-study", "--reason", "done \u202Eenod", "--results", results.toString());
        assertEquals(2, bidi.exit(), bidi.toString());
        assertTrue(bidi.err().contains("U+202E at character 6"), bidi.toString());
        Cli longer = Cli.run("stop", "some-study", "--reason", "x".repeat(501), "--results", results.toString());
        assertEquals(2, longer.exit(), longer.toString());
        assertTrue(longer.err().contains("at most 500 characters"), longer.toString());
        Cli plain = Cli.run("stop", "some-study", "--reason", "plain", "--results", results.toString());
        assertTrue(plain.err().contains("no study database"), "a plain reason passes: " + plain);
    }

    /**
     * Stopping a paused trial stops it at once and deletes its checkpoint: {@code thaw stop} says so, rather than that
     * it asked the trial to stop at its next batch (which it still says of a running trial).
     */
    @Test
    void aPausedTrialIsReportedStoppedAtOnce() throws Exception {
        Path results = Files.createTempDirectory("thaw-stop-paused").resolve("results");
        try (Database db = Database.open(Database.fileUrl(results))) {
            PruningStudy.create(db, Fixture.get(), results);
        }
        Path checkpoint = Files.createDirectories(results.resolve(PruningStudy.NAME + "/checkpoints/trial-4/epoch-4"));
        Cli paused = Cli.run("stop", PruningStudy.NAME, "--trial", "4", "--reason", "not worth a thaw", "--results",
                results.toString());
        assertEquals(0, paused.exit(), paused.toString());
        assertEquals("stopped trial 4 of pruning, which was paused (its checkpoint is deleted): not worth a thaw",
                paused.out().strip(), paused.toString());
        assertFalse(Files.exists(checkpoint.getParent()), "its checkpoint is deleted");

        Cli running = Cli.run("stop", PruningStudy.NAME, "--trial", "7", "--reason", "enough", "--results",
                results.toString());
        assertEquals(0, running.exit(), running.toString());
        assertEquals("asked trial 7 of pruning to stop at its next batch: enough", running.out().strip(),
                running.toString());
    }
}
