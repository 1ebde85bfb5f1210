package dev.thaw.study;

import dev.thaw.testing.Cli;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A suggested command reads back, through a real shell, as exactly the words it was made of. */
class SuggestedCommandTest {
    @Test
    void everyWordSurvivesTheShellAndPlainWordsStayBare() {
        List<String> words = List.of("run", "/tmp/my results/it's best.yaml", "--db",
                "jdbc:h2:tcp://gpu-1:9092/thaw;WRITE_DELAY=0;LOCK_TIMEOUT=10000", "--reason", "stopped by hand",
                "~/x", "$HOME", "`id`", "a\"b", "*.yaml", "tab\there", "(line 5)", "back\\slash", "café");
        SuggestedCommand command = new SuggestedCommand(words);
        List<String> expected = new ArrayList<>(List.of(SuggestedCommand.DEFAULT_PROGRAM));
        expected.addAll(words);
        assertEquals(expected, Cli.words(command.toString()));
        assertEquals("scripts/thaw trials fashion-transfer --results results/x",
                SuggestedCommand.of("trials", "fashion-transfer").and("--results", "results/x").toString());
        assertEquals("'it'\\''s'", SuggestedCommand.quote("it's"));
    }

    @Test
    void theProgramIsNamedAsTheLauncherWasStarted() {
        String before = System.getProperty(SuggestedCommand.PROGRAM_PROPERTY);
        try {
            System.setProperty(SuggestedCommand.PROGRAM_PROPERTY, "/opt/my thaw/scripts/thaw");
            assertEquals("'/opt/my thaw/scripts/thaw' resume s", SuggestedCommand.of("resume", "s").toString());
        } finally {
            if (before == null) {
                System.clearProperty(SuggestedCommand.PROGRAM_PROPERTY);
            } else {
                System.setProperty(SuggestedCommand.PROGRAM_PROPERTY, before);
            }
        }
    }
}
