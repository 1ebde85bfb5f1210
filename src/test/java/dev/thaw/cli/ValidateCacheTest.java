package dev.thaw.cli;

import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code thaw validate} says of a study's feature cache: one line with its mode, folder and largest size. */
class ValidateCacheTest {
    @TempDir
    Path dir;

    /** The tiny study with {@code cache} (a block, or "" for none) appended. */
    private String study(String name, String cache) {
        Fixture f = Fixture.get();
        return StudyFiles.tiny(name, f.data, f.sourceModel, dir.resolve("results"), 2, 1) + cache;
    }

    private String line(String cache) throws Exception {
        StudySpec spec = new StudyFileReader().parse(study("line", cache));
        return ValidateCommand.cacheLine(spec);
    }

    @Test
    void validatePrintsTheCacheBeforeTheImages() throws Exception {
        Path file = Files.writeString(dir.resolve("shared.yaml"), study("shared", """
                cache:
                  dir: %s
                  max_gb: 0.5
                """.formatted(dir.resolve("features"))));
        Cli validate = Cli.run("validate", file.toString());
        assertEquals(0, validate.exit(), validate.toString());
        List<String> lines = validate.out().lines().toList();
        assertEquals("cache: features auto in " + dir.resolve("features") + ", at most 0.5 GB", lines.get(1));
        assertTrue(lines.get(2).startsWith("images: 2 classes"), validate.out());
        assertEquals("", validate.err());

        Path off = Files.writeString(dir.resolve("off.yaml"), study("uncached", "cache: {features: off}\n"));
        Cli quiet = Cli.run("validate", off.toString());
        assertEquals(0, quiet.exit(), quiet.toString());
        assertEquals("cache: off (every trial computes its frozen layers itself)", quiet.out().lines().toList().get(1));
    }

    /** A cache folder that is a file (or lies under one) is valid, but every trial would go uncached: a warning. */
    @Test
    void aCacheFolderThatIsAFileIsAWarning() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path study = Files.writeString(dir.resolve("file.yaml"), study("file", "cache: {dir: " + file + "}\n"));
        Cli validate = Cli.run("validate", study.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertEquals("warning: the cache folder " + file + " is a file, so every trial computes its frozen layers "
                + "itself; set cache.dir to a folder\n", validate.err());

        Path below = Files.writeString(dir.resolve("below.yaml"),
                study("below", "cache: {dir: " + file.resolve("cache") + "}\n"));
        Cli under = Cli.run("validate", below.toString());
        assertEquals(0, under.exit(), under.toString());
        assertEquals("warning: the cache folder " + file.resolve("cache") + " cannot be made: " + file + " is a file, "
                + "so every trial computes its frozen layers itself; set cache.dir to a folder\n", under.err());

        Path off = Files.writeString(dir.resolve("off.yaml"),
                study("uncached", "cache: {features: off, dir: " + file + "}\n"));
        Cli quiet = Cli.run("validate", off.toString());
        assertEquals("", quiet.err(), "the cache is off: its folder does not matter");
        Path missing = Files.writeString(dir.resolve("missing.yaml"),
                study("missing", "cache: {dir: " + dir.resolve("not/yet/made") + "}\n"));
        assertEquals("", Cli.run("validate", missing.toString()).err(), "a missing folder is made by the first trial");
    }

    @Test
    void theLineSaysTheDefaultFolderAndSizeAndEscapesTheFolder() throws Exception {
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 10 GB", line(""));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 10 GB",
                line("cache: {features: auto, max_gb: 10}\n"));
        assertEquals("cache: features auto in relative/cache, at most 2.5 GB",
                line("cache: {dir: relative/cache, max_gb: 2.5}\n"));
        // as a study file writes it, not as Java prints a double (2.0E-4)
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 0.0002 GB",
                line("cache: {max_gb: 0.0002}\n"));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 0.000001 GB",
                line("cache: {max_gb: 0.000001}\n"));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 1E-12 GB",
                line("cache: {max_gb: 1e-12}\n"));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 1E+300 GB",
                line("cache: {max_gb: 1e300}\n"));
        assertEquals("cache: features auto in cache\\u202eevil, at most 10 GB", line("cache: {dir: \"cache\\u202Eevil\"}\n"));
        assertEquals("cache: off (every trial computes its frozen layers itself)",
                line("cache: {features: off, dir: elsewhere, max_gb: 3}\n"));
    }
}
