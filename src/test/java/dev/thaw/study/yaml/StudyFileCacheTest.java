package dev.thaw.study.yaml;

import dev.thaw.study.CacheSpec;
import dev.thaw.study.CacheSpec.Features;
import dev.thaw.study.StudySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study file's {@code cache:} block: read, refused, written back, and not part of the study's identity. */
class StudyFileCacheTest {
    @TempDir
    Path dir;
    private String cached;
    private final StudyFileReader reader = new StudyFileReader();
    private final StudyFileWriter writer = new StudyFileWriter();

    @BeforeEach
    void files() throws IOException {
        for (String f : List.of("ti.gz", "tl.gz", "model.zip")) {
            Files.writeString(dir.resolve(f), "x");
        }
        cached = """
                name: cached
                model:
                  source: builtin
                  path: %s
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  classes: [5, 6, 7]
                objective:
                  metric: val_accuracy
                search:
                  algorithm: random
                  trials: 6
                budget:
                  epochs: 3
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                  unfreeze_depth: {type: int, low: 0, high: 1}
                output:
                  dir: %s
                cache:
                  features: auto
                  dir: %s
                  max_gb: 2.5
                """.formatted(dir.resolve("model.zip"), dir.resolve("ti.gz"), dir.resolve("tl.gz"),
                dir.resolve("results"), dir.resolve("features"));
    }

    private String error(String text) {
        return assertThrows(StudyFileException.class, () -> reader.parse(text)).getMessage();
    }

    /** {@link #cached} with its cache block replaced by {@code block} (lines after {@code cache:}, or a value). */
    private String cachedWith(String block) {
        String replaced = cached.replaceFirst("(?s)\\ncache:\\n.*", java.util.regex.Matcher.quoteReplacement(
                "\ncache:" + block + "\n"));
        assertNotEquals(cached, replaced);
        return replaced;
    }

    @Test
    void readsEachKeyAndTheRestAtTheirDefaults() throws Exception {
        assertEquals(new CacheSpec(Features.AUTO, Optional.of(dir.resolve("features")), 2.5), reader.parse(cached).cache());
        assertEquals(new CacheSpec(Features.OFF, Optional.empty(), 10.0), reader.parse(cachedWith(" {features: off}"))
                .cache());
        assertEquals(new CacheSpec(Features.AUTO, Optional.empty(), 0.5), reader.parse(cachedWith(" {max_gb: 0.5}"))
                .cache());
        assertEquals(new CacheSpec(Features.AUTO, Optional.empty(), 100.0), reader.parse(cachedWith(" {max_gb: 100}"))
                .cache(), "a whole number of GB");
        assertEquals(new CacheSpec(Features.AUTO, Optional.of(Path.of("relative/cache")), 10.0),
                reader.parse(cachedWith(" {dir: relative/cache}")).cache());
        // YAML 1.1 reads off, no and false as false; quoted, off is text; names in any letter case
        for (String off : List.of("off", "Off", "OFF", "no", "false", "'off'", "\"OFF\"")) {
            assertEquals(Features.OFF, reader.parse(cachedWith(" {features: " + off + "}")).cache().features(), off);
        }
        assertEquals(Features.AUTO, reader.parse(cachedWith(" {features: AUTO}")).cache().features());
        for (String none : List.of("", " ~", " {}", " null", "\n  features:\n  dir: ~\n  max_gb:")) {
            assertEquals(CacheSpec.DEFAULT, reader.parse(cachedWith(none)).cache(), "cache:" + none);
        }
        assertEquals(CacheSpec.DEFAULT, reader.parse(cached.substring(0, cached.indexOf("cache:"))).cache(),
                "no cache block");
    }

    @Test
    void anUnknownKeyOrFeaturesValueIsRefusedWithTheAllowedOnes() {
        assertEquals("cache.max_bg: unknown key; allowed here: dir, features, max_gb (line 25)",
                error(cached.replace("max_gb:", "max_bg:")));
        assertEquals("cache.features: unknown value 'sometimes'; use one of: auto, off (line 23)",
                error(cached.replace("features: auto", "features: sometimes")));
        assertEquals("cache.features: must be auto or off, got 'on' (line 23)",
                error(cached.replace("features: auto", "features: on")));
        assertEquals("cache.features: must be auto or off, got '3' (line 23)",
                error(cached.replace("features: auto", "features: 3")));
        assertEquals("cache.features: must be auto or off, got a list (line 23)",
                error(cached.replace("features: auto", "features: [auto]")));
        assertEquals("cache: write {features: off} to turn the cache off; cache is a mapping of features, dir and "
                + "max_gb (line 22)", error(cachedWith(" off")));
        assertEquals("cache: must be a mapping of features, dir and max_gb, like {features: off}, got text 'auto' "
                + "(line 22)", error(cachedWith(" auto")));
        assertEquals("cache: must be a mapping of features, dir and max_gb, like {features: off}, got a list "
                + "(line 22)", error(cachedWith(" [off]")));
    }

    @Test
    void anEmptyDirAndASizeThatIsNotAboveZeroAreRefusedWithTheFix() {
        String fix = "is empty; write a folder, or leave dir out for the folder cache under output.dir";
        assertEquals("cache.dir: " + fix + " (line 24)", error(cached.replace("  dir: " + dir.resolve("features"),
                "  dir: ''")));
        assertEquals("cache.dir: " + fix + " (line 22)", error(cachedWith(" {dir: '  '}")));
        assertEquals("cache.dir: must be text, got '7' (line 22)", error(cachedWith(" {dir: 7}")));
        assertEquals("cache.dir: must be a path without control characters, got 'a\\u0007b' (line 22)",
                error(cachedWith(" {dir: \"a\\ab\"}")));
        String size = "must be a number > 0 (the most the cache folder may hold, in GB), got ";
        assertEquals("cache.max_gb: " + size + "0 (line 25)", error(cached.replace("max_gb: 2.5", "max_gb: 0")));
        assertEquals("cache.max_gb: " + size + "-1.5 (line 25)", error(cached.replace("max_gb: 2.5", "max_gb: -1.5")));
        assertEquals("cache.max_gb: " + size + "Infinity (line 25)",
                error(cached.replace("max_gb: 2.5", "max_gb: '1e400'")));
        assertEquals("cache.max_gb: must be a number, got text 'ten' (line 25)",
                error(cached.replace("max_gb: 2.5", "max_gb: ten")));
        assertEquals("cache.max_gb: must be a number, got text '.inf' (line 25)",
                error(cached.replace("max_gb: 2.5", "max_gb: .inf")));
        assertEquals("cache.max_gb: must be a number, got '1e400' (line 25)",
                error(cached.replace("max_gb: 2.5", "max_gb: 1e400")));
    }

    @Test
    void aCacheIsWrittenOnlyWhenItIsNotTheDefaultAndReadsBackToTheSameSpec() throws Exception {
        StudySpec spec = reader.parse(cached);
        String text = writer.write(spec, null);
        assertEquals(spec, reader.parse(text), text);
        assertTrue(text.contains("\ncache:\n  features: auto\n  dir: " + dir.resolve("features") + "\n  max_gb: 2.5\n"),
                text);
        StudySpec off = reader.parse(cachedWith(" {features: off}"));
        String offText = writer.write(off, null);
        assertEquals(off, reader.parse(offText), offText);
        assertTrue(offText.contains("\ncache:\n  features: \"off\"\n  max_gb: 10.0\n"), "off quoted, or YAML 1.1 "
                + "reads it as false; no dir when it is the default:\n" + offText);
        for (String byDefault : List.of(" {features: auto, max_gb: 10}", " {}", "")) {
            String written = writer.write(reader.parse(cachedWith(byDefault)), null);
            assertFalse(written.contains("\ncache:"), "the default cache, no block:\n" + written);
        }
    }

    /** The cache changes how fast trials run, not what they compute: a study continues with other cache settings. */
    @Test
    void theCacheIsNotPartOfTheStudysIdentity() throws Exception {
        StudySpec withCache = reader.parse(cached);
        StudySpec without = reader.parse(cached.substring(0, cached.indexOf("cache:")));
        assertNotEquals(withCache, without);
        assertEquals(writer.identity(without), writer.identity(withCache));
        assertEquals(List.of(), writer.differences(withCache, without));
        StudySpec off = reader.parse(cachedWith(" {features: off, dir: elsewhere, max_gb: 0.1}"));
        assertEquals(writer.identity(withCache), writer.identity(off));
        assertEquals(List.of(), writer.differences(withCache, off));
        StudySpec moreEpochs = reader.parse(cached.replace("epochs: 3", "epochs: 4"));
        assertEquals(List.of("budget.epochs"), writer.differences(withCache, moreEpochs), "the rest still counts");
    }
}
