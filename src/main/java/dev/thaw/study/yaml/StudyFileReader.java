package dev.thaw.study.yaml;

import dev.thaw.study.Baseline;
import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Preprocess;
import dev.thaw.study.Keys;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a study file into a validated {@link StudySpec}. Everything is checked before anything runs: unknown
 * keys, wrong types, bad ranges, unknown names and missing files each fail with the field path and line.
 * Relative paths in the file are taken relative to the working directory.
 */
public final class StudyFileReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");

    /** Reads and validates the study file at {@code file}. */
    public StudySpec read(Path file) throws StudyFileException {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new StudyFileException("study file not found: " + file
                    + "; check the path (examples are in search-spaces/)");
        } catch (IOException e) {
            throw new StudyFileException("cannot read study file " + file + ": " + e.getMessage());
        }
    }

    /** Parses and validates study-file text. */
    public StudySpec parse(String text) throws StudyFileException {
        Section root = Section.of(YamlTreeReader.read(text), "");
        root.allow("name", "seed", "model", "data", "objective", "search", "budget", "space", "resources", "output",
                "baseline", "validation", "provenance");
        String name = root.string("name");
        if (!StudySpec.NAME.matcher(name).matches()) {
            throw root.error("name", "use letters, digits, '.', '_' or '-' (at most 64), got '" + name + "'");
        }
        long seed = root.integer("seed", 42);
        ModelSpec model = model(root.section("model"));
        DataSpec data = data(root.section("data"), model);
        Optional<Section> validation = root.optionalSection("validation");
        if (validation.isPresent()) {
            validation.get().allow("folds");
            long folds = validation.get().integer("folds", 1);
            if (folds < 1 || folds > 20) {
                throw validation.get().error("folds", "must be a whole number from 2 to 20 (1: one held-out split, "
                        + "data.validation_fraction), got " + folds);
            }
            data = data.withFolds((int) folds);
        }
        Section objective = root.section("objective").allow("metric", "direction");
        Metric metric = enumValue(objective, "metric", Metric.values());
        Direction direction = objective.node("direction").isPresent()
                ? enumValue(objective, "direction", Direction.values())
                : metric.naturalDirection();
        if (metric.needsTestData() && !data.hasTest()) {
            throw objective.error("metric", metric.key() + " needs test data; set data.test_images and "
                    + "data.test_labels or rank by a val_ metric");
        }
        SearchSpec search = search(root.section("search"), seed);
        Section budget = root.section("budget").allow("epochs");
        int epochs = positiveInt(budget, "epochs");
        Map<String, ParamSpec> space = new SpaceReader().read(root.section("space"));
        OutputSpec output = output(root.optionalSection("output"));
        int slots = 0;
        Optional<Section> resources = root.optionalSection("resources");
        if (resources.isPresent()) {
            resources.get().allow("slots");
            slots = (int) resources.get().integer("slots", 0);
            if (slots < 0 || slots > 256) {
                throw resources.get().error("slots", "must be a whole number from 1 to 256 (0: one per GPU, or 1 "
                        + "on CPU), got " + slots);
            }
        }
        root.optionalSection("provenance");
        Baseline baseline = root.node("baseline").isPresent() ? enumValue(root, "baseline", Baseline.values())
                : Baseline.NONE;
        return new StudySpec(name, seed, model, data, metric, direction, search, epochs, space, output, slots, baseline);
    }

    private ModelSpec model(Section s) throws StudyFileException {
        s.allow("source", "path", "name", "weights", "head");
        ModelSpec.ModelSource source = enumValue(s, "source", ModelSpec.ModelSource.values());
        int hidden = 0;
        Optional<Section> head = s.optionalSection("head");
        if (head.isPresent()) {
            head.get().allow("hidden");
            hidden = (int) head.get().integer("hidden", 0);
            if (hidden < 0) {
                throw head.get().error("hidden", "must be >= 0 (0 = no hidden layer), got " + hidden);
            }
        }
        if (source == ModelSpec.ModelSource.ZOO) {
            for (String fileKey : List.of("path")) {
                if (s.node(fileKey).isPresent()) {
                    throw s.error(fileKey, "a zoo model is named, not a file; remove path and set name");
                }
            }
            ModelSpec.ZooArchitecture zoo = enumValue(s, "name", ModelSpec.ZooArchitecture.values());
            ModelSpec.ZooWeights weights = s.node("weights").isPresent()
                    ? enumValue(s, "weights", ModelSpec.ZooWeights.values()) : ModelSpec.ZooWeights.IMAGENET;
            return ModelSpec.zoo(zoo, weights, hidden);
        }
        for (String zooKey : List.of("name", "weights")) {
            if (s.node(zooKey).isPresent()) {
                throw s.error(zooKey, "is for source: zoo; a " + source.key() + " model is a file (path)");
            }
        }
        String hint = switch (source) {
            case BUILTIN -> "for the built-in model run: " + dev.thaw.study.SuggestedCommand.of("pretrain", "--out",
                    s.optionalString("path").orElse("results/models/source.zip"));
            case KERAS -> "save the Keras model with model.save('model.h5') (HDF5, Keras 1 or 2)";
            default -> "save the DL4J model with ModelSerializer.writeModel";
        };
        return ModelSpec.file(source, existingFile(s, "path", hint), hidden);
    }

    private DataSpec data(Section s, ModelSpec model) throws StudyFileException {
        String format = s.string("format");
        return switch (format) {
            case "idx" -> idx(s.allow("format", "train_images", "train_labels", "test_images", "test_labels", "classes",
                    "per_class", "validation_fraction", "image_size", "preprocess"), model);
            case "cifar10" -> cifar10(s.allow("format", "dir", "classes", "per_class", "validation_fraction",
                    "image_size", "preprocess"), model);
            case "folder" -> folders(s.allow("format", "train_dir", "test_dir", "classes", "per_class",
                    "validation_fraction", "image_size", "preprocess"), model);
            default -> throw s.error("format", "unknown format '" + format + "'; use one of: idx, cifar10, folder");
        };
    }

    private DataSpec idx(Section s, ModelSpec model) throws StudyFileException {
        String hint = "for Fashion-MNIST install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";
        Path trainImages = existingFile(s, "train_images", hint);
        Path trainLabels = existingFile(s, "train_labels", hint);
        Optional<Path> testImages = s.node("test_images").isPresent()
                ? Optional.of(existingFile(s, "test_images", hint)) : Optional.empty();
        Optional<Path> testLabels = s.node("test_labels").isPresent()
                ? Optional.of(existingFile(s, "test_labels", hint)) : Optional.empty();
        if (testImages.isPresent() != testLabels.isPresent()) {
            String missing = testImages.isPresent() ? "test_labels" : "test_images";
            throw s.error(missing, "is required when the other test file is given");
        }
        List<Integer> classes = labels(s, List.of());
        return new DataSpec(new ImageSource.Idx(trainImages, trainLabels, testImages, testLabels), classes,
                classes.stream().map(String::valueOf).toList(), perClass(s), validationFraction(s), imageSize(s, 28),
                preprocess(s, model));
    }

    private DataSpec cifar10(Section s, ModelSpec model) throws StudyFileException {
        Path dir = Path.of(s.string("dir"));
        if (!Files.isDirectory(dir)) {
            throw s.error("dir", "folder not found: " + dir + "; point it at the extracted cifar-10-batches-bin");
        }
        try (var batches = Files.list(dir)) {
            if (batches.noneMatch(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"))) {
                throw s.error("dir", dir + " holds no data_batch_N.bin file; point it at the extracted "
                        + "cifar-10-batches-bin (the binary version)");
            }
        } catch (IOException e) {
            throw s.error("dir", "cannot list " + dir + ": " + e.getMessage());
        }
        List<Integer> classes = labels(s, ImageSource.Cifar10.NAMES);
        return new DataSpec(new ImageSource.Cifar10(dir), classes, classes.stream().map(ImageSource.Cifar10.NAMES::get).toList(),
                perClass(s), validationFraction(s), imageSize(s, 32), preprocess(s, model));
    }

    private DataSpec folders(Section s, ModelSpec model) throws StudyFileException {
        Path train = Path.of(s.string("train_dir"));
        List<String> found = subFolders(s, "train_dir", train);
        Optional<Path> test = s.optionalString("test_dir").map(Path::of);
        if (test.isPresent()) {
            subFolders(s, "test_dir", test.get());
        }
        List<String> names = new ArrayList<>();
        if (s.node("classes").isPresent()) {
            List<YamlNode> items = s.list("classes");
            for (int i = 0; i < items.size(); i++) {
                String name = String.valueOf(items.get(i) instanceof YamlNode.Scalar sc ? sc.value() : "");
                if (!found.contains(name)) {
                    throw StudyFileException.at(s.pathOf("classes") + "[" + i + "]", items.get(i).line(), "no sub-folder '"
                            + name + "' in " + train + "; it has: " + String.join(", ", found));
                }
                if (names.contains(name)) {
                    throw StudyFileException.at(s.pathOf("classes") + "[" + i + "]", items.get(i).line(),
                            "class '" + name + "' is listed twice");
                }
                names.add(name);
            }
        } else {
            names.addAll(found);
        }
        if (names.size() < 2) {
            throw s.error(s.node("classes").isPresent() ? "classes" : "train_dir", "at least 2 classes are needed "
                    + "(one sub-folder each), got " + names.size());
        }
        if (s.node("image_size").isEmpty()) {
            throw s.error("image_size", "is required for image folders (the side length every image is resized to)");
        }
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            classes.add(i);
        }
        return new DataSpec(new ImageSource.Folders(train, test), classes, names, perClass(s), validationFraction(s),
                imageSize(s, 0), preprocess(s, model));
    }

    private static List<String> subFolders(Section s, String key, Path dir) throws StudyFileException {
        if (!Files.isDirectory(dir)) {
            throw s.error(key, "folder not found: " + dir + "; it needs one sub-folder of images per class");
        }
        try (var children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw s.error(key, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** The classes as labels 0..255, or (when {@code names} is not empty) as those names or their positions. */
    private static List<Integer> labels(Section s, List<String> names) throws StudyFileException {
        if (s.node("classes").isEmpty() && !names.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                all.add(i);
            }
            return all;
        }
        int max = names.isEmpty() ? 255 : names.size() - 1;
        List<Integer> classes = new ArrayList<>();
        List<YamlNode> items = s.list("classes");
        for (int i = 0; i < items.size(); i++) {
            YamlNode n = items.get(i);
            String path = s.pathOf("classes") + "[" + i + "]";
            int label;
            if (n instanceof YamlNode.Scalar sc && sc.value() instanceof Long l && l >= 0 && l <= max) {
                label = l.intValue();
            } else if (n instanceof YamlNode.Scalar sc && sc.value() instanceof String name && names.contains(name)) {
                label = names.indexOf(name);
            } else {
                throw StudyFileException.at(path, n.line(), "must be a class label 0.." + max
                        + (names.isEmpty() ? "" : " or one of " + String.join(", ", names)) + ", got " + n.kind());
            }
            if (classes.contains(label)) {
                throw StudyFileException.at(path, n.line(), "class " + label + " is listed twice");
            }
            classes.add(label);
        }
        if (classes.size() < 2) {
            throw s.error("classes", "list at least 2 classes, got " + classes.size());
        }
        return classes;
    }

    private static int perClass(Section s) throws StudyFileException {
        return s.node("per_class").isPresent() ? positiveInt(s, "per_class") : 0;
    }

    private static double validationFraction(Section s) throws StudyFileException {
        double validation = s.number("validation_fraction", 0.2);
        if (!(validation > 0 && validation < 1)) {
            throw s.error("validation_fraction", "must be in (0, 1), got " + validation);
        }
        return validation;
    }

    private static int imageSize(Section s, int byDefault) throws StudyFileException {
        int imageSize = (int) s.integer("image_size", byDefault);
        if (imageSize < 4 || imageSize > 1024) {
            throw s.error("image_size", "must be 4..1024 pixels, got " + imageSize);
        }
        return imageSize;
    }

    private static Preprocess preprocess(Section s, ModelSpec model) throws StudyFileException {
        return s.node("preprocess").isPresent() ? enumValue(s, "preprocess", Preprocess.values())
                : model.defaultPreprocess();
    }

    private SearchSpec search(Section s, long studySeed) throws StudyFileException {
        s.allow("algorithm", "trials", "seed", "max_time", "grid_points");
        SearchSpec.Algorithm algorithm = enumValue(s, "algorithm", SearchSpec.Algorithm.values());
        int trials = positiveInt(s, "trials");
        long seed = s.integer("seed", studySeed);
        Optional<Duration> maxTime = Optional.empty();
        if (s.node("max_time").isPresent()) {
            Matcher m = DURATION.matcher(s.string("max_time").trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw s.error("max_time", "must be a time like 90s, 10m or 2h");
            }
            long n = Long.parseLong(m.group(1));
            maxTime = Optional.of(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        int gridPoints = (int) s.integer("grid_points", 3);
        if (gridPoints < 2) {
            throw s.error("grid_points", "must be >= 2, got " + gridPoints);
        }
        return new SearchSpec(algorithm, trials, seed, maxTime, gridPoints);
    }

    private OutputSpec output(Optional<Section> section) throws StudyFileException {
        if (section.isEmpty()) {
            return new OutputSpec(Path.of("results"), OutputSpec.KeepModels.BEST);
        }
        Section s = section.get().allow("dir", "keep_models");
        Path dir = Path.of(s.optionalString("dir").orElse("results"));
        OutputSpec.KeepModels keep = s.node("keep_models").isPresent()
                ? enumValue(s, "keep_models", OutputSpec.KeepModels.values())
                : OutputSpec.KeepModels.BEST;
        return new OutputSpec(dir, keep);
    }

    private static Path existingFile(Section s, String key, String hint) throws StudyFileException {
        Path path = Path.of(s.string(key));
        if (!Files.isRegularFile(path)) {
            throw s.error(key, "file not found: " + path + "; " + hint);
        }
        return path;
    }

    private static int positiveInt(Section s, String key) throws StudyFileException {
        long v = s.integer(key);
        if (v < 1 || v > 1_000_000) {
            throw s.error(key, "must be a whole number from 1 to 1000000, got " + v);
        }
        return (int) v;
    }

    private static <E extends Enum<E>> E enumValue(Section s, String key, E[] values) throws StudyFileException {
        String text = s.string(key);
        return Keys.parse(values, text)
                .orElseThrow(() -> s.error(key, "unknown value '" + text + "'; use one of: " + Keys.list(values)));
    }
}
