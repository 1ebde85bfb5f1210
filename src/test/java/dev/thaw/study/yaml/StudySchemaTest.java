package dev.thaw.study.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.study.Augmentation;
import dev.thaw.study.Baseline;
import dev.thaw.study.CacheSpec;
import dev.thaw.study.Direction;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Keys;
import dev.thaw.study.LrSchedule;
import dev.thaw.study.Metric;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.Optimizer;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.Preprocess;
import dev.thaw.study.Provenance;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@code search-spaces/study.schema.json} equal to {@link StudyFileReader}: every good study Thaw ships, shows or
 * writes in its tests passes both; hand-picked bad files fail both; the schema's lists of names are the Java enums';
 * and each rule the schema cannot express ({@link KnownDifference}) is as its description says.
 * {@link StudySchemaMutantsTest} adds the generated bad files.
 */
class StudySchemaTest {
    /** Every kind of name a study file uses, from the Java that reads them: a mutant tries each for another. */
    static final List<List<String>> NAMES = List.of(keys(Optimizer.values()), keys(LrSchedule.values()),
            keys(Augmentation.Preset.values()), keys(Metric.values()), keys(Direction.values()),
            keys(ModelSpec.ModelSource.values()), keys(ModelSpec.ZooWeights.values()),
            keys(ModelSpec.ZooArchitecture.values()), keys(SearchSpec.Algorithm.values()),
            keys(OutputSpec.KeepModels.values()), keys(Preprocess.values()), keys(Baseline.values()),
            keys(PrunerSpec.Type.values()), keys(PrunerSpec.Mode.values()), keys(CacheSpec.Features.values()),
            ImageSource.Cifar10.NAMES, formats(), List.of("float", "int", "choice", "fixed"));

    @TempDir
    Path dir;
    private GoodStudies good;
    private final SchemaCheck check = new SchemaCheck();
    private String base;

    @BeforeEach
    void studies() {
        good = new GoodStudies(dir);
        base = good.ground("""
                name: base
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
                  trials: 4
                budget:
                  epochs: 2
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                  batch_size: {type: choice, values: [16, 32]}
                  dropout: 0.25
                  optimizer: adam
                  unfreeze_depth: {type: int, low: 0, high: 2}
                """, "base");
    }

    private static List<String> keys(Enum<?>[] values) {
        return Arrays.stream(values).map(Keys::of).toList();
    }

    private static List<String> formats() {
        return List.of(new ImageSource.Idx(Path.of("i"), Path.of("l"), Optional.empty(), Optional.empty()).format(),
                new ImageSource.Cifar10(Path.of("d")).format(), new ImageSource.Folders(Path.of("t"), Optional.empty()).format());
    }

    private void bothAccept(String origin, String text) {
        SchemaCheck.Verdict v = check.check(text);
        assertTrue(v.readerAccepts() && v.schemaAccepts(), origin + "\n" + v);
    }

    @Test
    void everyGoodStudyAndItsExportPassBoth() throws Exception {
        List<GoodStudies.Study> studies = new ArrayList<>(good.shipped());
        assertTrue(studies.size() >= 2, "search-spaces/ holds the demo and the reference: " + studies);
        List<GoodStudies.Study> readme = good.readme();
        studies.addAll(readme); // the README has no whole study today; one added later is checked here
        List<GoodStudies.Study> fromTests = good.fromTests();
        assertTrue(fromTests.size() >= 8, "the tests write the tiny study, the reader test's and the benchmark's, "
                + "and model and data sections for it: " + fromTests);
        studies.addAll(fromTests);
        Provenance provenance = new Provenance("s", 3, 0.91, "val_accuracy", 42, "abc", "dev", "1.0.0-M2.1", "17");
        for (GoodStudies.Study study : studies) {
            bothAccept(study.origin(), study.text());
            String exported = new StudyFileWriter().write(new StudyFileReader().parse(study.text()), provenance);
            bothAccept(study.origin() + ", as thaw export writes it", exported);
        }
    }

    @Test
    void shippedStudiesPointEditorsAtTheSchema() throws Exception {
        try (Stream<Path> all = Files.list(Path.of("search-spaces"))) {
            for (Path study : all.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String first = Files.readString(study).lines().findFirst().orElse("");
                assertEquals("# yaml-language-server: $schema=study.schema.json", first, study.toString());
                Path schema = study.resolveSibling(first.substring(first.indexOf('=') + 1));
                assertEquals(new StudySchema().text(), Files.readString(schema), "the jar serves the same schema");
            }
        }
    }

    @Test
    void theSchemasNamesAreTheJavaEnumsKeys() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(new StudySchema().text());
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("/properties/model/properties/source/enum", keys(ModelSpec.ModelSource.values())),
                Map.entry("/properties/model/properties/name/enum", keys(ModelSpec.ZooArchitecture.values())),
                Map.entry("/properties/model/properties/weights/enum", keys(ModelSpec.ZooWeights.values())),
                Map.entry("/properties/data/properties/format/enum", formats()),
                Map.entry("/properties/data/properties/preprocess/enum", keys(Preprocess.values())),
                Map.entry("/$defs/cifarClassName/enum", ImageSource.Cifar10.NAMES),
                Map.entry("/properties/objective/properties/metric/enum", keys(Metric.values())),
                Map.entry("/$defs/testMetric/enum", Arrays.stream(Metric.values()).filter(Metric::needsTestData)
                        .map(Metric::key).toList()),
                Map.entry("/properties/objective/properties/direction/enum", keys(Direction.values())),
                Map.entry("/properties/search/properties/algorithm/enum", keys(SearchSpec.Algorithm.values())),
                Map.entry("/properties/output/properties/keep_models/enum", keys(OutputSpec.KeepModels.values())),
                Map.entry("/properties/baseline/enum", keys(Baseline.values())),
                Map.entry("/$defs/pruner/properties/type/enum", keys(PrunerSpec.Type.values())),
                Map.entry("/$defs/pruner/properties/mode/enum", keys(PrunerSpec.Mode.values())),
                Map.entry("/properties/cache/properties/features/enum", keys(CacheSpec.Features.values())),
                Map.entry("/$defs/optimizer/enum", keys(Optimizer.values())),
                Map.entry("/$defs/lrSchedule/enum", keys(LrSchedule.values())),
                Map.entry("/$defs/augment/enum", keys(Augmentation.Preset.values())));
        expected.forEach((pointer, names) -> {
            List<String> listed = new ArrayList<>();
            schema.at(pointer).forEach(n -> {
                if (!n.isNull() && !n.isBoolean()) { // an empty optional key is the key left out; off is false too
                    listed.add(n.asText());
                }
            });
            assertEquals(names, listed, pointer);
        });
        List<String> space = new ArrayList<>();
        schema.at("/$defs/space/properties").fieldNames().forEachRemaining(space::add);
        assertEquals(keys(Hyperparameter.values()), space, "the space's keys");
    }

    /** A hyperparameter's default in the schema is the reader's; those without one default to another key. */
    @Test
    void theSchemasHyperparameterDefaultsAreTheReaders() throws Exception {
        JsonNode space = new ObjectMapper().readTree(new StudySchema().text()).at("/$defs/space/properties");
        Set<Hyperparameter> defaultElsewhere = Set.of(Hyperparameter.HEAD_UNITS, Hyperparameter.AUGMENT_FLIP,
                Hyperparameter.AUGMENT_ROTATION, Hyperparameter.AUGMENT_ZOOM, Hyperparameter.AUGMENT_BRIGHTNESS);
        for (Hyperparameter h : Hyperparameter.values()) {
            JsonNode d = space.path(h.key()).path("default");
            if (defaultElsewhere.contains(h)) {
                assertTrue(d.isMissingNode(), h.key() + " defaults to model.head.hidden or the augment preset's");
            } else if (h.defaultValue() instanceof String s) {
                assertEquals(s, d.asText(), h.key());
            } else {
                assertEquals(((Number) h.defaultValue()).doubleValue(), d.asDouble(Double.NaN), h.key());
            }
        }
    }

    /** Bad files of each kind, and rules across keys that the schema does express: refused by both. */
    @Test
    void badFilesAreRefusedByBoth() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("unknown key", base.replace("  classes:", "  perclass: 3\n  classes:")),
                Map.entry("unknown hyperparameter", base.replace("  dropout: 0.25", "  epsilon: 0.25")),
                Map.entry("wrong type", base.replace("epochs: 2", "epochs: three")),
                Map.entry("a list item of the wrong type", base.replace("[16, 32]", "[16, 32.5]")),
                Map.entry("out of range", base.replace("dropout: 0.25", "dropout: 1.5")),
                Map.entry("out of range in a range", base.replace("high: 2}", "high: -2}")),
                Map.entry("unknown name", base.replace("optimizer: adam", "optimizer: adamw")),
                Map.entry("unknown format (formats are lower case)", base.replace("format: idx", "format: IDX")),
                Map.entry("missing key", base.replace("  trials: 4\n", "")),
                Map.entry("missing section", base.replace("budget:\n  epochs: 2\n", "")),
                Map.entry("an empty required key", base.replace("trials: 4", "trials:")),
                Map.entry("a bad name", base.replace("name: base", "name: my study")),
                Map.entry("a bad max_time", base.replace("  trials: 4", "  trials: 4\n  max_time: 10 minutes")),
                Map.entry("a zoo model with a path", base.replace("source: builtin", "source: zoo\n  name: vgg16")),
                Map.entry("a file model with a zoo name", base.replace("source: builtin", "source: dl4j\n  name: vgg16")),
                Map.entry("a cifar10 key in idx data", base.replace("  classes:", "  dir: somewhere\n  classes:")),
                Map.entry("test images without labels", base.replace("  classes:", "  test_images: "
                        + base.lines().filter(l -> l.contains("train_images")).findFirst().orElseThrow()
                        .split(": ")[1] + "\n  classes:")),
                Map.entry("a test metric without test data", base.replace("val_accuracy", "test_f1")),
                Map.entry("folder data without image_size", base.replaceAll("(?s)data:.*?objective:",
                        "data:\n  format: folder\n  train_dir: " + dir.resolve("train") + "\nobjective:")),
                Map.entry("a log range from 0", base.replace("low: 1.0e-4", "low: 0.0")),
                Map.entry("a float range on a whole-number hyperparameter",
                        base.replace("{type: int, low: 0, high: 2}", "{type: float, low: 0, high: 2}")),
                Map.entry("a range on a name", base.replace("optimizer: adam", "optimizer: {type: int, low: 0, high: 2}")),
                Map.entry("one class", base.replace("[5, 6, 7]", "[5]")),
                Map.entry("a class twice", base.replace("[5, 6, 7]", "[5, 6, 5]")),
                Map.entry("a choice of nothing", base.replace("values: [16, 32]", "values: []")),
                Map.entry("tpe settings with another algorithm", base.replace("  trials: 4", "  trials: 4\n  tpe: {gamma: 0.2}")),
                Map.entry("a tpe setting out of range", base.replace("algorithm: random", "algorithm: tpe")
                        .replace("  trials: 4", "  trials: 4\n  tpe: {gamma: 1.0}")),
                Map.entry("more tpe candidates than a proposal ranks", base.replace("algorithm: random", "algorithm: tpe")
                        .replace("  trials: 4", "  trials: 4\n  tpe: {candidates: 10001}")),
                Map.entry("an unknown tpe setting", base.replace("algorithm: random", "algorithm: tpe")
                        .replace("  trials: 4", "  trials: 4\n  tpe: {gama: 0.2}")),
                Map.entry("an empty when", base.replace("high: 2}", "high: 2, when: {}}")),
                Map.entry("a when naming an unknown hyperparameter", base.replace("high: 2}", "high: 2, when: {epsilon: 1}}")),
                Map.entry("a when naming its own parameter", base.replace("high: 2}", "high: 2, when: {unfreeze_depth: 1}}")),
                Map.entry("a when value of another kind", base.replace("high: 2}", "high: 2, when: {optimizer: 3}}")),
                Map.entry("a when value out of its parameter's range", base.replace("high: 2}",
                        "high: 2, when: {batch_size: 0}}")),
                Map.entry("a range on a name in a when", base.replace("high: 2}", "high: 2, when: {optimizer: {min: 1}}}")),
                Map.entry("a when range without bounds", base.replace("high: 2}", "high: 2, when: {batch_size: {}}}")),
                Map.entry("an unknown key in a when range", base.replace("high: 2}",
                        "high: 2, when: {batch_size: {least: 16}}}")),
                Map.entry("an empty list in a when", base.replace("high: 2}", "high: 2, when: {batch_size: []}}")),
                Map.entry("a when without a type", base.replace("dropout: 0.25", "dropout: {value: 0.25, when: "
                        + "{batch_size: 16}}")),
                Map.entry("a when that is not a mapping", base.replace("high: 2}", "high: 2, when: adam}")),
                Map.entry("an unknown pruner", base + "pruner: {type: sha}\n"),
                Map.entry("a pruner named alone", base + "pruner: asha\n"),
                Map.entry("a pruner without a type", base + "pruner: {min_epochs: 1}\n"),
                Map.entry("an unknown pruner setting", base + "pruner: {type: asha, min_epoch: 1}\n"),
                Map.entry("an unknown pruner mode", base + "pruner: {type: asha, mode: freeze}\n"),
                Map.entry("a pruner setting of another type", base + "pruner: {type: asha, warmup_epochs: 1}\n"),
                Map.entry("mode with median", base + "pruner: {type: median, mode: pause}\n"),
                Map.entry("a setting with pruner none", base + "pruner: {type: none, startup_trials: 1}\n"),
                Map.entry("a reduction factor of 1", base + "pruner: {type: hyperband, reduction_factor: 1}\n"),
                Map.entry("a negative startup", base + "pruner: {type: median, startup_trials: -1}\n"),
                Map.entry("an unknown cache key", base + "cache: {max_bg: 1}\n"),
                Map.entry("an unknown cache features", base + "cache: {features: sometimes}\n"),
                Map.entry("cache features on", base + "cache: {features: on}\n"),
                Map.entry("cache off alone", base + "cache: off\n"),
                Map.entry("an empty cache dir", base + "cache: {dir: ''}\n"),
                Map.entry("a blank cache dir", base + "cache: {dir: ' '}\n"),
                Map.entry("a cache of 0 GB", base + "cache: {max_gb: 0}\n"),
                Map.entry("a cache of less than 0 GB", base + "cache: {max_gb: -0.5}\n"),
                Map.entry("a cache size as a name", base + "cache: {max_gb: ten}\n"),
                Map.entry("not a mapping", "- name: base\n"),
                Map.entry("empty", ""));
        bothAccept("the base", base);
        bothAccept("tpe with its settings", base.replace("algorithm: random", "algorithm: tpe").replace("  trials: 4",
                "  trials: 4\n  tpe: {startup_trials: 0, gamma: 0.5, candidates: 1, multivariate: true}"));
        bothAccept("asha with its settings", base + "pruner: {type: asha, min_epochs: 1, reduction_factor: 2, mode: "
                + "pause}\n");
        bothAccept("median with its settings", base + "pruner: {type: median, warmup_epochs: 2, startup_trials: 0}\n");
        bothAccept("pruner none", base + "pruner: none\n");
        bothAccept("a cache with every key", base + "cache: {features: auto, dir: /scratch/thaw, max_gb: 0.25}\n");
        for (String off : List.of("off", "'off'", "no", "false")) {
            bothAccept("cache features " + off, base + "cache: {features: " + off + ", max_gb: 100}\n");
        }
        bothAccept("every form of when", base.replace("high: 2}", "high: 2, when: {batch_size: [16, 32], optimizer: "
                + "adam, learning_rate: {max: 0.01}}}").replace("dropout: 0.25", "dropout: {type: fixed, value: 0.25, "
                + "when: {unfreeze_depth: {min: 1, max: 2}}}"));
        bad.forEach((what, text) -> {
            SchemaCheck.Verdict v = check.check(text);
            assertFalse(v.readerAccepts() || v.schemaAccepts(), what + "\n" + v);
        });
    }

    /** An empty value is the key left out where the key is optional, for both. */
    @Test
    void anEmptyOptionalKeyIsTheKeyLeftOut() {
        for (String empty : List.of("seed:", "output:", "baseline: ~", "resources:\n  slots:", "validation: null")) {
            bothAccept(empty, base + empty + "\n");
        }
        bothAccept("tpe: ~ under another algorithm", base.replace("  trials: 4", "  trials: 4\n  tpe: ~"));
        bothAccept("a tpe setting left empty", base.replace("algorithm: random", "algorithm: tpe")
                .replace("  trials: 4", "  trials: 4\n  tpe: {gamma: ~}"));
        bothAccept("when: ~", base.replace("high: 2}", "high: 2, when: ~}"));
        bothAccept("a when range's bound left empty", base.replace("high: 2}", "high: 2, when: {batch_size: "
                + "{min: ~, max: 16}}}"));
        bothAccept("pruner: ~", base + "pruner: ~\n");
        bothAccept("a pruner setting left empty", base + "pruner: {type: asha, mode: ~, min_epochs:}\n");
        bothAccept("another type's setting left empty", base + "pruner: {type: median, mode: ~}\n");
        bothAccept("cache: ~", base + "cache: ~\n");
        bothAccept("cache: {}", base + "cache: {}\n");
        bothAccept("each cache key left empty", base + "cache: {features: ~, dir:, max_gb: null}\n");
        bothAccept("weights: ~ under a file model", base.replace("source: builtin", "source: builtin\n  weights: ~"));
    }

    @Test
    void eachKnownDifferenceIsAsTheSchemaSays() throws Exception {
        String file = base.lines().filter(l -> l.contains("path:")).findFirst().orElseThrow().split(": ")[1];
        Path noTestBatch = Files.createDirectories(dir.resolve("cifar-without-test"));
        Files.writeString(noTestBatch.resolve("data_batch_1.bin"), "x");
        String cifar = base.replaceAll("(?s)data:.*?objective:", "data:\n  format: cifar10\n  dir: " + noTestBatch
                + "\n  classes: [cat, dog]\nobjective:");
        Map<KnownDifference, String> examples = Map.of(
                KnownDifference.FILES, base.replace(file, file + ".missing"),
                KnownDifference.LOW_ABOVE_HIGH, base.replace("low: 1.0e-4, high: 0.1", "low: 0.1, high: 1.0e-4"),
                KnownDifference.CONDITION_ACROSS_THE_SPACE, base.replace("high: 2}", "high: 2, when: {optimizer: "
                        + "nesterovs}}"),
                KnownDifference.POINT_IN_WHOLE_NUMBER, base.replace("epochs: 2", "epochs: 2.0"),
                KnownDifference.DUPLICATE_KEY, base.replace("epochs: 2", "epochs: 2\n  epochs: 3"),
                KnownDifference.ONE_CLASS_TWO_SPELLINGS, cifar.replace("[cat, dog]", "[3, cat]"),
                KnownDifference.PRUNER_PAST_THE_EPOCHS, base + "pruner: {type: asha, min_epochs: 2}\n",
                KnownDifference.LETTER_CASE, base.replace("optimizer: adam", "Optimizer: ADAM"),
                KnownDifference.QUOTED_NUMBER, base.replace("dropout: 0.25", "dropout: '0.25'"));
        assertEquals(Set.of(KnownDifference.values()), examples.keySet());
        examples.forEach((difference, text) -> {
            SchemaCheck.Verdict v = check.check(text);
            assertEquals(!difference.readerAccepts, v.schemaAccepts(), difference + "\n" + v);
            if (difference == KnownDifference.FILES) { // parse(text) may leave the files to a later check
                assertTrue(v.readerAccepts() || KnownDifference.FILE_RULES.matcher(v.readerError().orElseThrow()).find(), "" + v);
            } else {
                assertEquals(difference.readerAccepts, v.readerAccepts(), difference + "\n" + v);
            }
        });
        // the same, where parse(text) may leave the check to one that sees the files
        SchemaCheck.Verdict folders = check.check(good.ground(base.replaceAll("(?s)data:.*?objective:",
                "data:\n  format: folder\n  train_dir: %s\n  classes: [1, '1']\n  image_size: 12\nobjective:"), "folders"));
        assertTrue(folders.schemaAccepts() && folders.readerError().map(e -> e.contains("listed twice")).orElse(true),
                "folder names are compared as text\n" + folders);
        SchemaCheck.Verdict testMetric = check.check(cifar.replace("val_accuracy", "test_accuracy"));
        assertTrue(testMetric.schemaAccepts() && testMetric.readerError().map(e -> e.contains("needs test data"))
                .orElse(true), "a test_ metric on cifar10 needs test_batch.bin, a file rule\n" + testMetric);
        // the other rules of a when that look across the space, and its min <= max
        for (String when : List.of("{head_epochs: 1}", "{batch_size: 64}", "{learning_rate: {min: 0.5}}",
                "{batch_size: {min: 32, max: 16}}")) {
            SchemaCheck.Verdict v = check.check(base.replace("high: 2}", "high: 2, when: " + when + "}"));
            assertTrue(v.schemaAccepts() && !v.readerAccepts(), when + "\n" + v);
            assertTrue(KnownDifference.CONDITION_RULES.matcher(v.readerError().orElseThrow()).find()
                    || v.readerError().orElseThrow().contains("min <= max must hold"), when + "\n" + v);
        }
        String cycle = base.replace("high: 2}", "high: 2, when: {batch_size: 16}}")
                .replace("batch_size: {type: choice, values: [16, 32]}", "batch_size: {type: choice, values: [16, 32], "
                        + "when: {unfreeze_depth: 1}}");
        SchemaCheck.Verdict cyclic = check.check(cycle);
        assertTrue(cyclic.schemaAccepts() && cyclic.readerError().orElseThrow().contains("form a cycle"), "" + cyclic);
        String description = new ObjectMapper().readTree(new StudySchema().text()).path("description").asText();
        for (String said : List.of("files and folders exist", "low <= high", "min <= max", "names parameters of the "
                + "space with values they can take", "form a cycle", "3, not 3.0", "no key appears twice",
                "twice in two spellings", "any letter case", "quoted text",
                "pruner.min_epochs lies below budget.epochs")) {
            assertTrue(description.contains(said), "the schema's description names: " + said);
        }
    }
}
