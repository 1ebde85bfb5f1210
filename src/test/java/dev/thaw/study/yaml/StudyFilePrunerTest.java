package dev.thaw.study.yaml;

import dev.thaw.study.PrunerSpec;
import dev.thaw.study.PrunerSpec.Mode;
import dev.thaw.study.PrunerSpec.Type;
import dev.thaw.study.StudySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study file's {@code pruner:} block: read, refused, written back, part of the study's identity. */
class StudyFilePrunerTest {
    @TempDir
    Path dir;
    private String asha;
    private String median;
    private final StudyFileReader reader = new StudyFileReader();
    private final StudyFileWriter writer = new StudyFileWriter();

    @BeforeEach
    void files() throws IOException {
        for (String f : List.of("ti.gz", "tl.gz", "model.zip")) {
            Files.writeString(dir.resolve(f), "x");
        }
        asha = """
                name: pruned
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
                  algorithm: tpe
                  trials: 30
                budget:
                  epochs: 9
                pruner:
                  type: asha
                  min_epochs: 1
                  reduction_factor: 3
                  mode: pause
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                """.formatted(dir.resolve("model.zip"), dir.resolve("ti.gz"), dir.resolve("tl.gz"));
        median = """
                name: median-pruned
                model:
                  source: builtin
                  path: %s
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  classes: [5, 6, 7]
                objective:
                  metric: val_loss
                search:
                  algorithm: random
                  trials: 20
                budget:
                  epochs: 6
                pruner: {type: median, warmup_epochs: 2, startup_trials: 4}
                space:
                  batch_size: {type: choice, values: [16, 32]}
                """.formatted(dir.resolve("model.zip"), dir.resolve("ti.gz"), dir.resolve("tl.gz"));
    }

    private String error(String text) {
        return assertThrows(StudyFileException.class, () -> reader.parse(text)).getMessage();
    }

    /** {@link #asha} with its pruner block replaced by {@code block} (lines after {@code pruner:}, or a value). */
    private String ashaWith(String block) {
        String replaced = asha.replaceFirst("(?s)pruner:\\n.*?(?=space:)", java.util.regex.Matcher.quoteReplacement(
                "pruner:" + block + "\n"));
        assertNotEquals(asha, replaced);
        return replaced;
    }

    @Test
    void readsEachTypeWithItsSettingsAndTheRestAtTheirDefaults() throws Exception {
        StudySpec spec = reader.parse(asha);
        assertEquals(new PrunerSpec(Type.ASHA, 1, 3, Mode.PAUSE, 1, 5), spec.pruner());
        assertEquals(List.of(1, 3), spec.pruner().rungs(spec.epochs(), 0));
        assertEquals(new PrunerSpec(Type.MEDIAN, 1, 3, Mode.STOP, 2, 4), reader.parse(median).pruner());
        assertEquals(new PrunerSpec(Type.HYPERBAND, 2, 2, Mode.STOP, 1, 5), reader.parse(ashaWith(
                " {type: hyperband, min_epochs: 2, reduction_factor: 2}")).pruner());
        assertEquals(new PrunerSpec(Type.ASHA, 1, 3, Mode.STOP, 1, 5), reader.parse(ashaWith(" {type: ASHA}")).pruner(),
                "names in any letter case, settings at their defaults");
        assertEquals(new PrunerSpec(Type.MEDIAN, 1, 3, Mode.STOP, 1, 5), reader.parse(median.replace(
                "{type: median, warmup_epochs: 2, startup_trials: 4}", "{type: median, warmup_epochs: ~}")).pruner());
        for (String none : List.of(" none", " None", "", " ~", " {type: none}", "\n  type: none\n  mode:")) {
            assertEquals(PrunerSpec.NONE, reader.parse(ashaWith(none)).pruner(), "pruner:" + none);
        }
        assertEquals(PrunerSpec.NONE, reader.parse(ashaWith("").replace("pruner:\n", "")).pruner(), "no pruner");
    }

    @Test
    void anUnknownTypeModeOrKeyIsRefusedWithTheAllowedOnes() {
        assertEquals("pruner.type: unknown value 'sha'; use one of: none, median, asha, hyperband (line 18)",
                error(asha.replace("type: asha", "type: sha")));
        assertEquals("pruner.mode: unknown value 'freeze'; use one of: stop, pause (line 21)",
                error(asha.replace("mode: pause", "mode: freeze")));
        assertEquals("pruner.min_epoch: unknown key; allowed here: min_epochs, mode, reduction_factor, startup_trials, "
                + "type, warmup_epochs (line 19)", error(asha.replace("min_epochs:", "min_epoch:")));
        assertEquals("pruner.type: is required (line 17)", error(ashaWith(" {min_epochs: 1}")));
        assertEquals("pruner: write asha as a mapping with its settings, like {type: asha}; only none stands alone "
                + "(line 17)", error(ashaWith(" asha")));
        assertEquals("pruner: must be none or a mapping with a type (none, median, asha, hyperband), like {type: asha}, "
                + "got text 'nothing' (line 17)", error(ashaWith(" nothing")));
        assertEquals("pruner: must be none or a mapping with a type (none, median, asha, hyperband), like {type: asha}, "
                + "got a list (line 17)", error(ashaWith(" [asha]")));
        assertEquals("pruner: must be none or a mapping with a type (none, median, asha, hyperband), like {type: asha}, "
                + "got 'false' (line 17)", error(ashaWith(" false")));
    }

    @Test
    void aSettingOfAnotherTypeIsRefusedWithTheFix() {
        assertEquals("pruner.warmup_epochs: is a setting of type median, and type is asha; remove warmup_epochs, or "
                + "set type median (line 22)", error(asha.replace("  mode: pause\n", "  mode: pause\n  warmup_epochs: 2\n")));
        assertEquals("pruner.reduction_factor: is a setting of type asha or hyperband, and type is median; remove "
                + "reduction_factor, or set type asha or hyperband (line 17)",
                error(median.replace("startup_trials: 4}", "startup_trials: 4, reduction_factor: 3}")));
        assertEquals("pruner.mode: is a setting of type asha or hyperband (median ends a trial; only asha and hyperband "
                + "can pause one), and type is median; remove mode, or set type asha or hyperband (line 17)",
                error(median.replace("startup_trials: 4}", "startup_trials: 4, mode: pause}")));
        assertEquals("pruner.min_epochs: is a setting of type asha or hyperband, and type is none; remove min_epochs, "
                + "or set type asha or hyperband (line 19)", error(asha.replace("type: asha", "type: none")));
        assertEquals("pruner.startup_trials: is a setting of type median, and type is hyperband; remove "
                + "startup_trials, or set type median (line 17)", error(ashaWith(" {type: hyperband, startup_trials: 3}")));
    }

    @Test
    void rungsMustLieBelowTheEpochsAndSettingsWithinTheirRanges() {
        assertEquals("pruner.min_epochs: min_epochs 9 leaves no rung below epochs 9; lower min_epochs or raise "
                + "budget.epochs (line 19)", error(asha.replace("min_epochs: 1", "min_epochs: 9")));
        assertEquals("pruner.min_epochs: min_epochs 1 leaves no rung below epochs 1; raise budget.epochs or remove "
                + "pruner (line 17)", error(ashaWith(" {type: hyperband}").replace("epochs: 9", "epochs: 1")));
        assertEquals("pruner.min_epochs: must be a whole number >= 1 (the first rung, in epochs), got 0 (line 19)",
                error(asha.replace("min_epochs: 1", "min_epochs: 0")));
        assertEquals("pruner.min_epochs: must be a whole number, got '1.5' (line 19)",
                error(asha.replace("min_epochs: 1", "min_epochs: 1.5")));
        assertEquals("pruner.reduction_factor: must be a whole number >= 2 (the top 1/reduction_factor of a rung go "
                + "on), got 1 (line 20)", error(asha.replace("reduction_factor: 3", "reduction_factor: 1")));
        assertEquals("pruner.warmup_epochs: warmup_epochs 7 is past the last epoch, 6; lower warmup_epochs or raise "
                + "budget.epochs (line 17)", error(median.replace("warmup_epochs: 2", "warmup_epochs: 7")));
        assertEquals("pruner.warmup_epochs: must be a whole number >= 1 (the first epoch at which median may prune), "
                + "got 0 (line 17)", error(median.replace("warmup_epochs: 2", "warmup_epochs: 0")));
        assertEquals("pruner.startup_trials: must be a whole number >= 0 (trials that must be complete before median "
                + "prunes), got -1 (line 17)", error(median.replace("startup_trials: 4", "startup_trials: -1")));
    }

    @Test
    void aPrunerIsWrittenWithItsTypesSettingsAndReadBackToTheSameSpec() throws Exception {
        StudySpec spec = reader.parse(asha);
        String text = writer.write(spec, null);
        assertEquals(spec, reader.parse(text), text);
        assertTrue(text.contains("\npruner:\n  type: asha\n  min_epochs: 1\n  reduction_factor: 3\n  mode: pause\n"),
                text);
        StudySpec m = reader.parse(median);
        String medianText = writer.write(m, null);
        assertEquals(m, reader.parse(medianText), medianText);
        assertTrue(medianText.contains("\npruner:\n  type: median\n  warmup_epochs: 2\n  startup_trials: 4\n"),
                medianText);
        String none = writer.write(reader.parse(ashaWith(" none")), null);
        assertFalse(none.contains("pruner"), "no pruner, no block:\n" + none);
    }

    @Test
    void thePrunerIsPartOfTheStudysIdentity() throws Exception {
        StudySpec a = reader.parse(asha);
        String id = writer.identity(a);
        assertEquals(id, writer.identity(reader.parse(writer.write(a, null))));
        assertEquals(id, writer.identity(reader.parse(asha.replace("  min_epochs: 1\n", ""))), "a default written "
                + "or left out is the same study");
        StudySpec stop = reader.parse(asha.replace("mode: pause", "mode: stop"));
        assertNotEquals(id, writer.identity(stop));
        assertEquals(List.of("pruner.mode"), writer.differences(a, stop));
        StudySpec none = reader.parse(ashaWith(" none"));
        assertEquals(List.of("pruner"), writer.differences(a, none));
        StudySpec hyperband = reader.parse(ashaWith(" {type: hyperband, min_epochs: 3, reduction_factor: 2}"));
        assertEquals(List.of("pruner.type", "pruner.min_epochs", "pruner.reduction_factor", "pruner.mode"),
                writer.differences(a, hyperband));
    }
}
