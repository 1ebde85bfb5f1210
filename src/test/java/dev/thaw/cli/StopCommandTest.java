package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.PruningStudy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
     * A paused trial stops at once (no process runs it), and the command says so; a second stop finds it ended; a
     * queued one is asked to stop, as a running one is.
     */
    @Test
    void aPausedTrialIsStoppedAtOnceAndTheCommandSaysSo() throws Exception {
        Path results = Files.createTempDirectory("thaw-stop-paused").resolve("results");
        try (Database db = Database.open(Database.fileUrl(results))) {
            PruningStudy.create(db, Fixture.get(), results);
        }
        Cli paused = Cli.run("stop", PruningStudy.NAME, "--trial", "4", "--reason", "not worth it", "--results",
                results.toString());
        assertEquals(0, paused.exit(), paused.toString());
        assertEquals("stopped trial 4 of pruning, which was paused (its checkpoint is deleted): not worth it",
                paused.out().strip(), paused.toString());
        Cli again = Cli.run("stop", PruningStudy.NAME, "--trial", "4", "--reason", "again", "--results",
                results.toString());
        assertEquals(2, again.exit(), again.toString());
        assertEquals("error: trial 4 of 'pruning' already ended STOPPED", again.err().strip(), again.toString());
        Cli queued = Cli.run("stop", PruningStudy.NAME, "--trial", "6", "--reason", "later", "--results",
                results.toString());
        assertEquals(0, queued.exit(), queued.toString());
        assertEquals("asked trial 6 of pruning to stop at its next batch: later", queued.out().strip(), queued.toString());
    }
}
