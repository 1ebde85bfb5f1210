package dev.thaw.cli;

import dev.thaw.study.CacheSpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frozen-feature cache as a user meets it: {@code thaw run} of a head-only study builds the entries once, says so
 * while it does, and every trial line says it trains on cached features; a second study on the same source and data
 * reuses them without building; {@code thaw cache} lists them and {@code thaw cache clear} empties the folder.
 */
class CacheRunTest {
    @TempDir
    Path dir;

    private Path study(String name) throws Exception {
        String text = StudyFiles.tiny(name, Fixture.get().data, Fixture.get().sourceModel, dir.resolve("results"), 3, 1)
                .replace("unfreeze_depth: {type: int, low: 0, high: 3}", "unfreeze_depth: {type: int, low: 0, high: 0}");
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aStudyBuildsTheEntriesOnceAndTheNextStudyReusesThem() throws Exception {
        Cli first = Cli.run("run", study("first").toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        assertEquals(2, count(first.out(), ": caching frozen features below"), first.out()); // train and validation
        assertEquals(3, count(first.out(), ": trains on cached features below"), first.out());

        Cli second = Cli.run("run", study("second").toString());
        assertEquals(0, second.exit(), second.err());
        assertEquals(0, count(second.out(), "caching frozen features"), "reused, not built: " + second.out());
        assertEquals(3, count(second.out(), ": trains on cached features below"), second.out());

        Path cache = dir.resolve("results").resolve("cache");
        Cli list = Cli.run("cache", "--dir", cache.toString());
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("source.zip"), list.out());
        assertTrue(list.out().contains(" validation ") && list.out().contains(" train "), list.out());

        Cli clear = Cli.run("cache", "clear", "--dir", cache.toString());
        assertEquals(0, clear.exit(), clear.err());
        Cli empty = Cli.run("cache", "--dir", cache.toString());
        assertFalse(empty.out().contains("source.zip"), empty.out());
    }

    /** The exported best trial keeps the study's cache block: its re-run reads the same folder, within the same size. */
    @Test
    void theExportKeepsTheCacheSettings() throws Exception {
        Path features = dir.resolve("features");
        Path file = study("kept");
        Files.writeString(file, Files.readString(file).replace("search:\n  algorithm: random\n  trials: 3",
                "search:\n  algorithm: random\n  trials: 1") + "cache:\n  dir: " + features + "\n  max_gb: 0.5\n");
        assertEquals(0, Cli.run("run", file.toString()).exit());
        Path best = dir.resolve("best.yaml");
        Cli export = Cli.run("export", "kept", "--out", best.toString(), "--results", dir.resolve("results").toString());
        assertEquals(0, export.exit(), export.toString());
        assertEquals(new CacheSpec(CacheSpec.Features.AUTO, Optional.of(features), 0.5),
                new StudyFileReader().parse(Files.readString(best)).cache(), Files.readString(best));

        Cli rerun = Cli.run("run", best.toString());
        assertEquals(0, rerun.exit(), rerun.toString());
        assertEquals(0, count(rerun.out(), "caching frozen features"), "reused from " + features + ": " + rerun.out());
        assertEquals(1, count(rerun.out(), ": trains on cached features below"), rerun.out());
    }

    private static long count(String text, String marker) {
        return text.lines().filter(l -> l.contains(marker)).count();
    }
}
