package dev.thaw.study.yaml;

import dev.thaw.study.Direction;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.Metric;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyFileReaderTest {
    @TempDir
    Path dir;
    private String valid;
    private final StudyFileReader reader = new StudyFileReader();

    @BeforeEach
    void files() throws IOException {
        for (String f : List.of("ti.gz", "tl.gz", "model.zip")) {
            Files.writeString(dir.resolve(f), "x");
        }
        valid = """
                name: demo
                model:
                  source: builtin
                  path: %s
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  classes: [5, 6, 7]
                  per_class: 10
                objective:
                  metric: val_accuracy
                search:
                  algorithm: random
                  trials: 4
                budget:
                  epochs: 2
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                  batch_size: {type: choice, values: [16, 32]}
                  dropout: 0.25
                  optimizer: {type: choice, values: [sgd, adam]}
                  unfreeze_depth: {type: int, low: 0, high: 2}
                """.formatted(dir.resolve("model.zip"), dir.resolve("ti.gz"), dir.resolve("tl.gz"));
    }

    private String error(String text) {
        return assertThrows(StudyFileException.class, () -> reader.parse(text)).getMessage();
    }

    @Test
    void readsAValidStudyWithDefaults() throws Exception {
        StudySpec spec = reader.parse(valid);
        assertEquals("demo", spec.name());
        assertEquals(List.of(5, 6, 7), spec.data().classes());
        assertEquals(0.2, spec.data().validationFraction());
        assertEquals(28, spec.data().imageSize());
        assertEquals(Metric.VAL_ACCURACY, spec.metric());
        assertEquals(Direction.MAXIMIZE, spec.direction());
        assertEquals(new ParamSpec.FloatParam(1e-4, 0.1, true), spec.space().get("learning_rate"));
        assertEquals(new ParamSpec.FixedParam(0.25), spec.space().get("dropout"));
        assertEquals(new ParamSpec.IntParam(0, 2, 1), spec.space().get("unfreeze_depth"));
        assertEquals(List.of("learning_rate", "batch_size", "optimizer", "unfreeze_depth"),
                List.copyOf(spec.searched().keySet()));
        assertEquals(42, spec.seed());
        assertEquals(42, spec.search().seed());
    }

    @Test
    void hyperparametersLeftOutAreFixedAtTheirDefaults() throws Exception {
        StudySpec spec = reader.parse(valid.replaceAll("(?m)^  (optimizer|dropout):.*\\n", ""));
        assertEquals(new ParamSpec.FixedParam("adam"), spec.space().get("optimizer"));
        assertEquals(new ParamSpec.FixedParam(0.0), spec.space().get("dropout"));
    }

    @Test
    void theFineTuningRecipeIsSearchableAndOnlyInTheSpaceWhenNamed() throws Exception {
        assertFalse(reader.parse(valid).space().containsKey("head_epochs"), "absent recipe keys stay out of the space");
        StudySpec spec = reader.parse(valid.replace("  dropout: 0.25", "  dropout: 0.25\n"
                + "  head_epochs: {type: int, low: 0, high: 2}\n"
                + "  backbone_lr_factor: {type: float, low: 0.01, high: 1.0, log: true}\n"
                + "  momentum: 0.95\n"
                + "  weight_decay: {type: choice, values: [0.0, 1.0e-4]}"));
        assertEquals(new ParamSpec.IntParam(0, 2, 1), spec.space().get("head_epochs"));
        assertEquals(new ParamSpec.FloatParam(0.01, 1.0, true), spec.space().get("backbone_lr_factor"));
        assertEquals(new ParamSpec.FixedParam(0.95), spec.space().get("momentum"));
        assertEquals("space.backbone_lr_factor: must be a number in (0, 10], got 0.0 (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  backbone_lr_factor: 0.0")));
        assertEquals("space.lr_schedule: unknown schedule 'linear'; use one of: none, step, exponential, cosine (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  lr_schedule: linear")));
        assertEquals("space.augment: unknown augmentation 'heavy'; use one of: none, light, strong (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  augment: heavy")));
        assertEquals("space.augment_zoom.high: must be a fraction in [0, 0.5], got 0.8 (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  augment_zoom: {type: float, low: 0.0, high: 0.8}")));
        assertEquals("space.head_layers: must be a whole number in 0..4, got 9 (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  head_layers: 9")));
        assertEquals("space.head_epochs: must be a whole number >= 0, got -1 (line 22)",
                error(valid.replace("  dropout: 0.25", "  dropout: 0.25\n  head_epochs: -1")));
    }

    @Test
    void logScaleNeedsAPositiveLowWithFieldPathAndLine() {
        assertEquals("space.learning_rate.low: must be > 0 for a log scale, got 0.0 (line 19)",
                error(valid.replace("low: 1.0e-4", "low: 0.0")));
    }

    @Test
    void lowAboveHighIsRefused() {
        assertEquals("space.unfreeze_depth.low: low <= high must hold, got low=3, high=2 (line 23)",
                error(valid.replace("{type: int, low: 0, high: 2}", "{type: int, low: 3, high: 2}")));
    }

    @Test
    void unknownKeyNamesTheAllowedOnes() {
        String msg = error(valid.replace("  per_class: 10", "  per_class: 10\n  perclass: 3"));
        assertEquals("data.perclass: unknown key; allowed here: classes, format, image_size, per_class, preprocess, "
                + "test_images, test_labels, train_images, train_labels, validation_fraction (line 11)", msg);
    }

    @Test
    void unknownOptimizerListsTheKnownOnes() {
        String msg = error(valid.replace("[sgd, adam]", "[sgd, adamw]"));
        assertTrue(msg.startsWith("space.optimizer.values[1]: unknown optimizer 'adamw'; use one of: sgd, nesterovs, "
                + "adam, rmsprop, adamax"), msg);
        assertTrue(msg.endsWith("(line 22)"), msg);
    }

    @Test
    void wrongTypesAreNamed() {
        assertEquals("budget.epochs: must be a whole number, got text 'three' (line 17)",
                error(valid.replace("epochs: 2", "epochs: three")));
        assertEquals("space.batch_size.values[1]: must be a whole number, got '32.5' (line 20)",
                error(valid.replace("[16, 32]", "[16, 32.5]")));
        assertEquals("space.dropout.type: dropout takes a number, not an int range (line 21)",
                error(valid.replace("dropout: 0.25", "dropout: {type: int, low: 0, high: 1}")));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertEquals("space.dropout: must be a number in [0, 1), got 1.5 (line 21)",
                error(valid.replace("dropout: 0.25", "dropout: 1.5")));
    }

    @Test
    void parsingNeverLooksAtTheFileSystem() throws Exception {
        // files are checked where training runs (train.StudyEnvironment); a stored study parses on any machine
        StudySpec spec = reader.parse(valid.replace(dir.resolve("ti.gz").toString(), "/nowhere/train.gz"));
        assertEquals(java.nio.file.Path.of("/nowhere/train.gz"),
                ((dev.thaw.study.ImageSource.Idx) spec.data().source()).trainImages());
    }

    @Test
    void aPathWithAControlCharacterNamesItsFieldAndLine() {
        // issue 10, case 9: a NUL (or any control character) in a path is bad input, not an internal error
        String ti = dir.resolve("ti.gz").toString();
        assertEquals("data.train_images: must be a path without control characters, got '/d/a\\u0000b.gz' (line 7)",
                error(valid.replace(ti, "/d/a\\0b.gz").replace("train_images: /d", "train_images: \"/d")
                        .replace("b.gz\n", "b.gz\"\n")));
        for (String bad : List.of("\\t", "\\r", "\\e", "\\x7f", "\\u0085")) {
            String msg = error(valid.replace(ti, "\"/d/a" + bad + "b.gz\""));
            assertTrue(msg.startsWith("data.train_images: must be a path without control characters"), msg);
        }
        assertTrue(error(valid.replace(ti, "\"\"")).startsWith("data.train_images: must be text"));
        String model = error(valid.replace(dir.resolve("model.zip").toString(), "\"m\\0.zip\""));
        assertTrue(model.startsWith("model.path: must be a path without control characters") && model.endsWith(
                "(line 4)"), model);
    }

    @Test
    void numbersBeyondTheirTypeAreRefusedNotWrappedAround() {
        // 2^32 + 32 once read as batch size 32, 2^32 + 4 as image size 4; a huge max_time threw an overflow
        String msg = error(valid.replace("batch_size: {type: choice, values: [16, 32]}", "batch_size: 4294967328"));
        assertTrue(msg.startsWith("space.batch_size: must be a whole number"), msg);
        msg = error(valid.replace("per_class: 10", "per_class: 10\n  image_size: 4294967300"));
        assertTrue(msg.startsWith("data.image_size: must be a whole number from"), msg);
        msg = error(valid.replace("unfreeze_depth: {type: int, low: 0, high: 2}",
                "unfreeze_depth: {type: int, low: 0, high: 4294967298}"));
        assertTrue(msg.startsWith("space.unfreeze_depth.high: must be a whole number from"), msg);
        msg = error(valid.replace("unfreeze_depth: {type: int, low: 0, high: 2}",
                "unfreeze_depth: {type: int, low: 0, high: 2147483647, step: 2}"));
        assertTrue(msg.startsWith("space.unfreeze_depth.step: gives 1073741824 values; a stepped range may hold"), msg);
        for (String time : List.of("99999999999999999999s", "9999999999999999h", "880000h")) {
            msg = error(valid.replace("  trials: 4", "  trials: 4\n  max_time: " + time));
            assertTrue(msg.startsWith("search.max_time: must be a time like 90s"), msg);
        }
    }

    @Test
    void nanInfinityAndNumbersBeyondALongNameTheirField() {
        for (String v : List.of(".nan", ".NaN", ".inf", "-.inf", "1e400")) {
            String msg = error(valid.replace("dropout: 0.25", "dropout: " + v));
            assertTrue(msg.startsWith("space.dropout: must be a number"), v + ": " + msg);
        }
        String msg = error(valid.replace("  trials: 4", "  trials: 99999999999999999999"));
        assertTrue(msg.startsWith("search.trials: must be a whole number, got text '99999999999999999999'"), msg);
        msg = error(valid.replace("  epochs: 2", "  epochs: 1.50"));
        assertTrue(msg.contains("got '1.50'"), "quoted as written: " + msg);
        msg = error(valid.replace("per_class: 10", "per_class: 10\n  image_size: 4\nsearch_x: 1").replace("search_x", "grid"));
        assertTrue(msg.startsWith("grid: unknown key") || msg.contains("grid"), msg);
        msg = error(valid.replace("  trials: 4", "  trials: 4\n  grid_points: 1000000000"));
        assertTrue(msg.startsWith("search.grid_points: must be a whole number from 2 to 1000"), msg);
        msg = error(valid.replace("budget:", "output:\n  dir: \"r\\0x\"\nbudget:"));
        assertTrue(msg.startsWith("output.dir: must be a path without control characters"), msg);
    }

    @Test
    void lineOfFindsAFieldByItsPath() {
        assertEquals(java.util.Optional.of(7), StudyFileReader.lineOf(valid, "data.train_images"));
        assertEquals(java.util.Optional.of(9), StudyFileReader.lineOf(valid, "data.classes[2]"));
        assertEquals(java.util.Optional.empty(), StudyFileReader.lineOf(valid, "data.nothing"));
        assertEquals(java.util.Optional.empty(), StudyFileReader.lineOf("[: not yaml", "data"));
    }

    @Test
    void missingRequiredKeyAndUnknownHyperparameter() {
        assertEquals("budget: is required (line 16)", error(valid.replace("  epochs: 2", "")));
        assertEquals("search.trials: is required (line 14)", error(valid.replace("  trials: 4\n", "")));
        String msg = error(valid.replace("  dropout: 0.25", "  epsilon: 0.9"));
        assertTrue(msg.startsWith("space.epsilon: unknown hyperparameter; searchable here: learning_rate"), msg);
    }

    @Test
    void malformedYamlAndDuplicateKeysAreOneLine() {
        String malformed = error(valid.replace("classes: [5, 6, 7]", "classes: [5, 6, 7"));
        assertTrue(malformed.startsWith("malformed YAML: "), malformed);
        assertFalse(malformed.contains("\n"), malformed);
        assertEquals("budget.epochs: appears twice; keep one (line 18)",
                error(valid.replace("epochs: 2", "epochs: 2\n  epochs: 3")));
    }

    @Test
    void testMetricNeedsTestData() {
        String msg = error(valid.replace("metric: val_accuracy", "metric: test_accuracy"));
        assertTrue(msg.startsWith("objective.metric: test_accuracy needs test data"), msg);
    }

    @Test
    void missingStudyFileIsNamed() {
        StudyFileException e = assertThrows(StudyFileException.class, () -> reader.read(dir.resolve("none.yaml")));
        assertTrue(e.getMessage().startsWith("study file not found: "), e.getMessage());
    }

    @Test
    void writerOutputReadsBackToTheSameSpec() throws Exception {
        StudySpec spec = reader.parse(valid);
        StudySpec again = reader.parse(new StudyFileWriter().write(spec, null));
        assertEquals(spec, again);
        assertEquals(new StudyFileWriter().identity(spec), new StudyFileWriter().identity(again));
    }

    @Test
    void identityIgnoresBudgetButNotTheSpace() throws Exception {
        StudyFileWriter writer = new StudyFileWriter();
        String id = writer.identity(reader.parse(valid));
        assertEquals(id, writer.identity(reader.parse(valid.replace("trials: 4", "trials: 40"))));
        assertFalse(id.equals(writer.identity(reader.parse(valid.replace("dropout: 0.25", "dropout: 0.3")))));
    }

    @Test
    void shippedStudyFilesAreValid() throws Exception {
        List<String> files;
        try (java.util.stream.Stream<Path> all = Files.list(Path.of("search-spaces"))) {
            files = all.map(Path::toString).filter(p -> p.endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.containsAll(List.of("search-spaces/fashion-asha.yaml", "search-spaces/fashion-transfer.yaml",
                "search-spaces/reference.yaml")), "every shipped study is read here: " + files);
        for (String file : files) {
            String text = Files.readString(Path.of(file))
                    .replaceAll("/usr/share/datasets/fashion-mnist/[a-z0-9-]+\\.gz", dir.resolve("ti.gz").toString())
                    .replace("results/models/fashion-source.zip", dir.resolve("model.zip").toString());
            StudySpec spec = reader.parse(text);
            int expected = file.endsWith("reference.yaml") ? Hyperparameter.values().length : 5;
            assertEquals(expected, spec.space().size(), file + ": the reference names every hyperparameter");
            if (file.endsWith("fashion-asha.yaml")) {
                assertEquals(new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.PAUSE, 1, 5), spec.pruner());
                assertEquals(List.of(1, 3), spec.pruner().rungs(spec.epochs(), 0));
                assertEquals(SearchSpec.Algorithm.TPE, spec.search().algorithm());
            }
        }
    }
}
