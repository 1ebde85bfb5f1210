package dev.thaw.study.yaml;

import dev.thaw.study.Baseline;
import dev.thaw.study.DataSpec;
import dev.thaw.study.Direction;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Metric;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.Preprocess;
import dev.thaw.study.Provenance;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What {@link StudyFileWriter} writes, {@link StudyFileReader} reads back to the very spec it was written from. */
class StudyFileRoundTripTest {
    private static final int SPECS = 150;

    @TempDir
    Path dir;
    private final StudyFileReader reader = new StudyFileReader();
    private final StudyFileWriter writer = new StudyFileWriter();

    /** Writes {@code spec}, reads it back, checks the spec and its space's order, and returns the text. */
    private String roundTrips(StudySpec spec, String what) {
        String text = writer.write(spec, null);
        StudySpec again;
        try {
            again = reader.parse(text);
        } catch (StudyFileException e) {
            throw new AssertionError(what + ": the written study does not read back: " + e.getMessage() + "\n" + text, e);
        }
        assertEquals(spec, again, () -> what + ":\n" + text);
        assertEquals(List.copyOf(spec.space().keySet()), List.copyOf(again.space().keySet()), what);
        return text;
    }

    @Test
    void generatedStudiesReadBackToTheSpecTheyCameFrom() throws Exception {
        for (long seed : List.of(1L, 2L)) {
            StudySpecs specs = new StudySpecs(seed, dir.resolve("seed" + seed));
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < SPECS; i++) {
                texts.add(roundTrips(specs.next(), "seed " + seed + ", spec " + i));
            }
            // the generator reaches every optional part of a study file both present and absent, and every kind of value
            List<String> optional = List.of("\n  path:", "\n  weights:", "\n    hidden: 0\n", "\n  per_class:",
                    "\n  preprocess:", "\n  test_dir:", "\n  test_images:", "format: cifar10", "format: folder",
                    "format: idx", "\n  max_time:", "\nresources:", "\nvalidation:", "\nbaseline:",
                    "\n  head_epochs:", "\n  augment:", "type: float", "\n    when:", "\n  tpe:", "\npruner:",
                    "\ncache:");
            for (String key : optional) {
                assertTrue(texts.stream().anyMatch(t -> !t.contains(key)), "seed " + seed + " always writes " + key);
            }
            List<String> reached = new ArrayList<>(optional);
            reached.addAll(List.of("log: true", "log: false", "type: int", "step: 2147483647", "type: choice", "\"",
                    "type: fixed", "algorithm: tpe", "        min:", "        max:", "\n      - ", "  type: median\n",
                    "  type: asha\n", "  type: hyperband\n", "  mode: pause\n", "  mode: stop\n",
                    "\ncache:\n  features: auto\n  dir: ", "\ncache:\n  features: \"off\"\n  max_gb: ",
                    "  max_gb: 1.7976931348623157E308\n", "  max_gb: 4.9E-324\n"));
            for (String key : reached) {
                assertTrue(texts.stream().anyMatch(t -> t.contains(key)), "seed " + seed + " never writes " + key);
            }
        }
    }

    /**
     * The reported case: image folders named 1.50 and 2.00. Left out of the file, the classes stay "every sub-folder"
     * (resolved where the data is) and are left out of the export too; listed unquoted, they are the names as written.
     */
    @Test
    void foldersNamedLikeNumbersReadBackAsThoseFolders() throws Exception {
        Path train = dir.resolve("train");
        for (String name : List.of("1.50", "2.00")) {
            Files.createDirectories(train.resolve(name));
        }
        Path model = Files.writeString(dir.resolve("model.zip"), "x");
        StudySpec spec = reader.parse("""
                name: numbered
                model: {source: builtin, path: '%s'}
                data: {format: folder, train_dir: '%s', image_size: 16}
                objective: {metric: val_accuracy}
                search: {algorithm: random, trials: 1}
                budget: {epochs: 1}
                space: {}
                """.formatted(model, train));
        assertTrue(spec.data().classesPending());
        assertTrue(!roundTrips(spec, "classes left out").contains("classes"));
        StudySpec listed = reader.parse(writer.write(spec, null).replace("  image_size:", "  classes: [1.50, 2.00]\n"
                + "  image_size:"));
        assertEquals(List.of("1.50", "2.00"), listed.data().classNames());
        roundTrips(listed, "classes 1.50, 2.00");
    }

    /** Every tricky text as a class folder, a file name, the output folder and (where a name may be it) the name. */
    @Test
    void textYamlWouldReadAsAnotherTypeReadsBackAsText() throws Exception {
        List<String> texts = new ArrayList<>(StudySpecs.TRICKY);
        StudySpecs random = new StudySpecs(3, dir);
        for (int i = 0; i < 100; i++) {
            texts.add(random.text());
        }
        // paths and class names with control characters are refused by the reader (StudyFileReaderTest)
        texts.removeIf(t -> t.chars().anyMatch(Character::isISOControl));
        int n = 0;
        for (String text : texts) {
            Path home = Files.createDirectories(dir.resolve("t" + n++));
            boolean fileName = !text.contains("/") && !text.equals(".") && !text.equals("..");
            Path model = Files.writeString(home.resolve(fileName ? text : "model.zip"), "x");
            Path train = home.resolve("train");
            List<String> classes = fileName && !text.startsWith(".") ? List.of(text, "other") : List.of("a", "b");
            for (String c : classes) {
                Files.createDirectories(train.resolve(c));
            }
            String out = text.isBlank() ? "x" + text : text;
            StudySpec spec = new StudySpec(StudySpec.NAME.matcher(text).matches() ? text : "s", 1,
                    ModelSpec.file(ModelSpec.ModelSource.DL4J, model, 0),
                    new DataSpec(new ImageSource.Folders(train, Optional.empty()), List.of(0, 1), classes, 0, 0.2, 16,
                            Preprocess.UNIT),
                    Metric.VAL_ACCURACY, Direction.MAXIMIZE, new SearchSpec(SearchSpec.Algorithm.RANDOM, 1, 1,
                    Optional.empty(), 3), 1, defaults(), new OutputSpec(Path.of(out), OutputSpec.KeepModels.BEST), 0);
            roundTrips(spec, "text '" + text + "'");
        }
    }

    /** Numbers at the edges of what the reader accepts, each written so that it parses back to the same value. */
    @Test
    void extremeNumbersReadBackExactly() throws Exception {
        Path model = Files.writeString(dir.resolve("model.zip"), "x");
        Path images = Files.writeString(dir.resolve("images.gz"), "x");
        Path labels = Files.writeString(dir.resolve("labels.gz"), "x");
        Map<String, ParamSpec> space = new LinkedHashMap<>();
        space.put("learning_rate", new ParamSpec.FloatParam(Double.MIN_VALUE, Math.nextDown(10.0), true));
        space.put("batch_size", new ParamSpec.IntParam(1, Integer.MAX_VALUE, Integer.MAX_VALUE));
        space.put("dropout", new ParamSpec.ChoiceParam(List.of(-0.0, 0.0, (double) 0.1f, 0.1, Math.nextDown(1.0))));
        space.put("optimizer", new ParamSpec.FixedParam("adam"));
        space.put("unfreeze_depth", new ParamSpec.FixedParam(Integer.MAX_VALUE));
        space.put("momentum", new ParamSpec.FixedParam(1e-12));
        space.put("augment_rotation", new ParamSpec.FloatParam(1e-300, 180.0, false));
        space.put("head_units", new ParamSpec.ChoiceParam(List.of(0, 65_536)));
        for (long seed : List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L)) {
            StudySpec spec = new StudySpec("edges", seed, ModelSpec.file(ModelSpec.ModelSource.BUILTIN, model,
                    Integer.MAX_VALUE), new DataSpec(new ImageSource.Idx(images, labels, Optional.empty(),
                    Optional.empty()), List.of(255, 0), List.of("255", "0"), 1_000_000, Double.MIN_VALUE, 1024,
                    Preprocess.SIGNED, 20), Metric.VAL_LOSS, Direction.MAXIMIZE, new SearchSpec( // not grid: 10^7 cells
                    SearchSpec.Algorithm.RANDOM, 1_000_000, -seed - 1, Optional.of(Duration.ofSeconds(StudySpecs.MAX_TIME_SECONDS)),
                    1000), 1_000_000, space, new OutputSpec(Path.of("1e3"), OutputSpec.KeepModels.NONE), 256,
                    Baseline.SCRATCH);
            roundTrips(spec, "seed " + seed);
        }
    }

    /** A provenance block is text for people and other tools: its values keep their types there too. */
    @Test
    void provenanceKeepsItsTextAsText() throws Exception {
        Path model = Files.writeString(dir.resolve("model.zip"), "x");
        Path train = dir.resolve("train");
        Files.createDirectories(train.resolve("a"));
        Files.createDirectories(train.resolve("b"));
        StudySpec spec = new StudySpec("p", 1, ModelSpec.file(ModelSpec.ModelSource.DL4J, model, 0),
                new DataSpec(new ImageSource.Folders(train, Optional.empty()), List.of(0, 1), List.of("a", "b"), 0, 0.2,
                        16, Preprocess.UNIT),
                Metric.VAL_ACCURACY, Direction.MAXIMIZE, new SearchSpec(SearchSpec.Algorithm.RANDOM, 1, 1,
                Optional.empty(), 3), 1, defaults(), new OutputSpec(Path.of("results"), OutputSpec.KeepModels.BEST), 0);
        String text = writer.write(spec, new Provenance("1.50", 3, 0.5, "val_accuracy", 7, "1e5", "1.0", "no",
                "17.0.9"));
        assertEquals(spec, reader.parse(text));
        YamlNode.Mapping provenance = (YamlNode.Mapping) ((YamlNode.Mapping) YamlTreeReader.read(text)).entries()
                .get("provenance");
        for (String key : List.of("study", "dataset_fingerprint", "thaw_version", "dl4j_version", "java_version")) {
            if (!(provenance.entries().get(key) instanceof YamlNode.Scalar s && s.value() instanceof String)) {
                fail("provenance." + key + " does not read as text:\n" + text);
            }
        }
    }

    private static Map<String, ParamSpec> defaults() {
        Map<String, ParamSpec> space = new LinkedHashMap<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            if (h.always()) {
                space.put(h.key(), new ParamSpec.FixedParam(h.defaultValue()));
            }
        }
        return space;
    }
}
