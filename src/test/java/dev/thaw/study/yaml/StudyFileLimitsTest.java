package dev.thaw.study.yaml;

import dev.thaw.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Study files that would keep the YAML reader busy or make it build something huge are refused first, each with one
 * line saying why (issue 11, case 12: a 16 MB file took 94 s before its error).
 */
class StudyFileLimitsTest {
    @TempDir
    Path dir;

    private static String error(String text) {
        return assertThrows(StudyFileException.class, () -> new StudyFileReader().parse(text)).getMessage();
    }

    /** A file of {@code bytes} bytes that starts like a study file, then goes on with comment lines. */
    private Path large(String name, int bytes) throws IOException {
        StringBuilder b = new StringBuilder("name: large\n");
        String comment = "# " + "x".repeat(97) + "\n";
        while (b.length() + comment.length() <= bytes) {
            b.append(comment);
        }
        b.append("#".repeat(bytes - b.length()));
        Path file = dir.resolve(name);
        Files.writeString(file, b);
        assertEquals(bytes, Files.size(file));
        return file;
    }

    @Test
    void aFileOverTheLimitIsRefusedByItsSizeWithExit2() throws IOException {
        Path file = large("big.yaml", 2 * 1024 * 1024);
        for (String command : new String[]{"validate", "run"}) {
            Cli cli = Cli.run(command, file.toString());
            assertEquals(2, cli.exit(), cli.toString());
            assertEquals("error: study file " + file + " is 2,097,152 bytes, more than the limit of 1,048,576 bytes "
                    + "(1 MiB) for a study file, which is a few KB; check that it is the right file\n", cli.err());
        }
    }

    @Test
    void aFileAtTheLimitIsReadAndAnythingLongerIsNot() throws Exception {
        Path limit = large("limit.yaml", StudyFileReader.MAX_SIZE);
        assertEquals(StudyFileReader.MAX_SIZE, StudyFileReader.text(limit).length());
        Path over = large("over.yaml", StudyFileReader.MAX_SIZE + 1);
        String msg = assertThrows(StudyFileException.class, () -> StudyFileReader.text(over)).getMessage();
        assertTrue(msg.contains("is 1,048,577 bytes, more than the limit of 1,048,576 bytes"), msg);
    }

    @Test
    void aDeviceThatNeverEndsIsReadNoFurtherThanTheLimit() {
        Path zero = Path.of("/dev/zero");
        String msg = assertThrows(StudyFileException.class, () -> StudyFileReader.text(zero)).getMessage();
        assertEquals("study file /dev/zero holds more than the limit of 1,048,576 bytes (1 MiB) for a study file, "
                + "which is a few KB; check that it is the right file", msg);
    }

    @Test
    void textOverTheLimitIsRefusedBeforeParsing() {
        String text = "name: x\n" + "#".repeat(StudyFileReader.MAX_SIZE);
        assertEquals("the study file is 1,048,584 characters, over the limit of 1,048,576 for a study file (they are "
                + "a few KB); check that it is the right file", error(text));
        // so is every other reading of study text: the line finder used by the environment check says nothing
        assertTrue(StudyFileReader.lineOf(text, "name").isEmpty());
    }

    @Test
    void aBillionLaughsIsRefusedAtItsFirstAlias() {
        StringBuilder bomb = new StringBuilder("name: lol\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
        }
        assertEquals("l1[0]: is the alias *l0; a study file takes no YAML aliases (&name and *name): write the value "
                + "out (line 3)", error(bomb.toString()));
    }

    @Test
    void anAliasAsAValueIsRefusedNotReadAsItsName() {
        assertEquals("model: is the alias *m; a study file takes no YAML aliases (&name and *name): write the value "
                + "out (line 2)", error("name: a\nmodel: *m\n"));
    }

    @Test
    void deepNestingIsRefusedAtTheLimit() {
        String flow = "name: deep\nspace: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        String msg = error(flow);
        assertTrue(msg.startsWith("space" + "[0]".repeat(15) + ": nests mappings or lists 16 deep; a study file "
                + "needs at most 4"), msg);
        assertTrue(msg.endsWith("(line 2)"), msg);
        StringBuilder block = new StringBuilder("name: deep\n");
        for (int i = 0; i < 40; i++) {
            block.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        block.append("  ".repeat(40)).append("v: 1\n");
        assertTrue(error(block.toString()).contains(": nests mappings or lists 16 deep"), error(block.toString()));
    }
}
