package dev.thaw.cli;

import dev.thaw.testing.Cli;
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
}
