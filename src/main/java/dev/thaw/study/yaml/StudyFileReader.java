package dev.thaw.study.yaml;

import dev.thaw.study.Baseline;
import dev.thaw.study.CacheSpec;
import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Preprocess;
import dev.thaw.study.Printable;
import dev.thaw.study.Keys;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a study file into a validated {@link StudySpec}: unknown keys, wrong types, bad ranges, unknown names and
 * malformed paths each fail with the field path and line. Parsing is pure: it never looks at the file system, so
 * a stored study reads the same on every machine (the web, export, a worker). Whether the files it names exist and
 * the model fits the images is checked where training runs ({@code train.StudyEnvironment}); {@link #lineOf} gives
 * that check's fields their lines. Relative paths are taken relative to the working directory.
 */
public final class StudyFileReader {
    /** The largest study file, in bytes, and study text, in characters: 1 MiB (a study file is a few KB). */
    public static final int MAX_SIZE = 1 << 20;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");

    /** Reads and parses the study file at {@code file}. */
    public StudySpec read(Path file) throws StudyFileException {
        return parse(text(file));
    }

    /**
     * The text of the study file at {@code file}; a missing or unreadable file, or one over {@link #MAX_SIZE} bytes
     * (refused by its size before it is read), is a one-line error.
     */
    public static String text(Path file) throws StudyFileException {
        try {
            long size = Files.size(file);
            if (size > MAX_SIZE) {
                throw tooLarge(file, String.format(Locale.ROOT, "is %,d bytes, more", size));
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_SIZE + 1); // a file that grew, or a device or pipe, stops at the limit
            }
            if (bytes.length > MAX_SIZE) {
                throw tooLarge(file, "holds more");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new StudyFileException("study file not found: " + file
                    + "; check the path (examples are in search-spaces/)");
        } catch (IOException e) {
            throw new StudyFileException("cannot read study file " + file + ": " + e.getMessage());
        }
    }

    /** {@code size}: "is 2,097,152 bytes, more", or "holds more" when the size is not known in advance. */
    private static StudyFileException tooLarge(Path file, String size) {
        return new StudyFileException(String.format(Locale.ROOT, "study file %s %s than the limit of %,d bytes (1 MiB) "
                + "for a study file, which is a few KB; check that it is the right file", file, size, MAX_SIZE));
    }

    /** Parses and validates study-file text; text over {@link #MAX_SIZE} characters is refused before parsing. */
    public StudySpec parse(String text) throws StudyFileException {
        Section root = Section.of(YamlTreeReader.read(text), "");
        root.allow("name", "seed", "model", "data", "objective", "search", "budget", "space", "resources", "output",
                "baseline", "validation", "provenance", "pruner", "cache");
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
        if (metric.needsTestData() && !(data.source() instanceof ImageSource.Cifar10) && !data.hasTest()) {
            // a CIFAR-10 folder's test batch is a file: checked where the data is
            throw objective.error("metric", metric.key() + " needs test data; set data.test_images and "
                    + "data.test_labels or rank by a val_ metric");
        }
        SearchSpec search = search(root.section("search"), seed);
        Section budget = root.section("budget").allow("epochs");
        int epochs = positiveInt(budget, "epochs");
        SpaceReader.Space space = new SpaceReader().read(root.section("space"));
        gridFits(root.section("search"), search, space.params());
        PrunerSpec pruner = new PrunerReader().read(root, epochs);
        OutputSpec output = output(root.optionalSection("output"));
        CacheSpec cache = new CacheReader().read(root);
        int slots = 0;
        Optional<Section> resources = root.optionalSection("resources");
        if (resources.isPresent()) {
            resources.get().allow("slots");
            slots = resources.get().intValue("slots", 0);
            if (slots < 0 || slots > 256) {
                throw resources.get().error("slots", "must be a whole number from 1 to 256 (0: one per GPU, or 1 "
                        + "on CPU), got " + slots);
            }
        }
        root.optionalSection("provenance");
        Baseline baseline = root.node("baseline").isPresent() ? enumValue(root, "baseline", Baseline.values())
                : Baseline.NONE;
        return new StudySpec(name, seed, model, data, metric, direction, search, epochs, space.params(), output, slots,
                baseline, space.when(), pruner, cache);
    }

    private ModelSpec model(Section s) throws StudyFileException {
        s.allow("source", "path", "name", "weights", "head");
        ModelSpec.ModelSource source = enumValue(s, "source", ModelSpec.ModelSource.values());
        int hidden = 0;
        Optional<Section> head = s.optionalSection("head");
        if (head.isPresent()) {
            head.get().allow("hidden");
            hidden = head.get().intValue("hidden", 0);
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
        return ModelSpec.file(source, path(s, "path"), hidden);
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
        Path trainImages = path(s, "train_images");
        Path trainLabels = path(s, "train_labels");
        Optional<Path> testImages = s.node("test_images").isPresent()
                ? Optional.of(path(s, "test_images")) : Optional.empty();
        Optional<Path> testLabels = s.node("test_labels").isPresent()
                ? Optional.of(path(s, "test_labels")) : Optional.empty();
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
        Path dir = path(s, "dir");
        List<Integer> classes = labels(s, ImageSource.Cifar10.NAMES);
        return new DataSpec(new ImageSource.Cifar10(dir), classes, classes.stream().map(ImageSource.Cifar10.NAMES::get).toList(),
                perClass(s), validationFraction(s), imageSize(s, 32), preprocess(s, model));
    }

    /**
     * Image folders. Listed {@code classes} are sub-folder names (any YAML scalar, as written); without them the
     * classes are every sub-folder, which only the data's machine knows: the spec leaves them empty and
     * {@code train.StudyEnvironment} fills them in.
     */
    private DataSpec folders(Section s, ModelSpec model) throws StudyFileException {
        Path train = path(s, "train_dir");
        Optional<Path> test = s.node("test_dir").isPresent() ? Optional.of(path(s, "test_dir")) : Optional.empty();
        List<String> names = new ArrayList<>();
        if (s.node("classes").isPresent()) {
            List<YamlNode> items = s.list("classes");
            for (int i = 0; i < items.size(); i++) {
                String where = s.pathOf("classes") + "[" + i + "]";
                if (!(items.get(i) instanceof YamlNode.Scalar sc)) {
                    throw StudyFileException.at(where, items.get(i).line(), "must be a sub-folder name, got "
                            + items.get(i).kind());
                }
                String name = sc.text();
                if (name.isEmpty() || name.startsWith(".") || name.contains("/")
                        || name.chars().anyMatch(Character::isISOControl)) {
                    throw StudyFileException.at(where, items.get(i).line(), "must name a visible sub-folder (no '/', "
                            + "no leading '.', no control characters), got '" + Printable.of(name) + "'");
                }
                if (names.contains(name)) {
                    throw StudyFileException.at(where, items.get(i).line(), "class '" + name + "' is listed twice");
                }
                names.add(name);
            }
            if (names.size() < 2) {
                throw s.error("classes", "list at least 2 classes (one sub-folder each), got " + names.size());
            }
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
        int imageSize = s.intValue("image_size", byDefault);
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
        s.allow("algorithm", "trials", "seed", "max_time", "grid_points", "tpe");
        SearchSpec.Algorithm algorithm = enumValue(s, "algorithm", SearchSpec.Algorithm.values());
        int trials = positiveInt(s, "trials");
        long seed = s.integer("seed", studySeed);
        Optional<Duration> maxTime = Optional.empty();
        if (s.node("max_time").isPresent()) {
            Matcher m = DURATION.matcher(s.string("max_time").trim());
            // at most 100 years: beyond, the number overflows a Duration or a deadline
            if (!m.matches() || m.group(1).length() > 10 || Long.parseLong(m.group(1)) == 0
                    || Long.parseLong(m.group(1)) * (m.group(2).equals("h") ? 3600 : m.group(2).equals("m") ? 60 : 1)
                    > 100L * 366 * 24 * 3600) {
                throw s.error("max_time", "must be a time like 90s, 10m or 2h (at most 100 years)");
            }
            long n = Long.parseLong(m.group(1));
            maxTime = Optional.of(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        int gridPoints = s.intValue("grid_points", 3);
        if (gridPoints < 2 || gridPoints > 1000) {
            throw s.error("grid_points", "must be a whole number from 2 to 1000 (points per continuous parameter), got "
                    + gridPoints);
        }
        return new SearchSpec(algorithm, trials, seed, maxTime, gridPoints, tpe(s, algorithm));
    }

    /** Refuses a grid over more than {@link SearchSpec#MAX_GRID_CELLS} cells, naming the factors of its count. */
    private static void gridFits(Section s, SearchSpec search, Map<String, ParamSpec> space)
            throws StudyFileException {
        if (search.algorithm() != SearchSpec.Algorithm.GRID) {
            return;
        }
        long cells = search.gridCells(space.values());
        if (cells <= SearchSpec.MAX_GRID_CELLS) {
            return;
        }
        List<String> factors = new ArrayList<>();
        space.forEach((name, p) -> {
            long n = search.gridValues(p);
            if (n > 1) {
                factors.add(name + " " + n);
            }
        });
        throw s.error(s.node("grid_points").isPresent() ? "grid_points" : "algorithm", String.format(Locale.ROOT,
                "grid search over this space has %s cells (%s), more than the %,d a grid may hold; lower "
                        + "grid_points, search fewer parameters, or use algorithm random or tpe",
                cells == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", cells),
                String.join(" x ", factors), SearchSpec.MAX_GRID_CELLS));
    }

    /** {@code search.tpe}: the settings of algorithm tpe, each optional ({@link SearchSpec.TpeOptions#DEFAULT}). */
    private static SearchSpec.TpeOptions tpe(Section search, SearchSpec.Algorithm algorithm) throws StudyFileException {
        Optional<Section> section = search.optionalSection("tpe");
        if (section.isEmpty()) {
            return SearchSpec.TpeOptions.DEFAULT;
        }
        if (algorithm != SearchSpec.Algorithm.TPE) {
            throw search.error("tpe", "is for algorithm: tpe, and algorithm is " + algorithm.key() + "; set algorithm: "
                    + "tpe or remove tpe");
        }
        Section s = section.get().allow("startup_trials", "gamma", "candidates", "multivariate");
        SearchSpec.TpeOptions d = SearchSpec.TpeOptions.DEFAULT;
        int startup = s.intValue("startup_trials", d.startupTrials());
        if (startup < 0) {
            throw s.error("startup_trials", "must be a whole number >= 0 (trials proposed at random before TPE models "
                    + "the history), got " + startup);
        }
        double gamma = s.number("gamma", d.gamma());
        if (!(gamma > 0 && gamma < 1)) {
            throw s.error("gamma", "must be a number in (0, 1) (the share of scored trials taken as good), got " + gamma);
        }
        int candidates = s.intValue("candidates", d.candidates());
        if (candidates < 1 || candidates > SearchSpec.TpeOptions.MAX_CANDIDATES) {
            throw s.error("candidates", "must be a whole number from 1 to " + SearchSpec.TpeOptions.MAX_CANDIDATES
                    + " (proposals ranked per trial), got " + candidates);
        }
        return new SearchSpec.TpeOptions(startup, gamma, candidates, s.bool("multivariate", d.multivariate()));
    }

    private OutputSpec output(Optional<Section> section) throws StudyFileException {
        if (section.isEmpty()) {
            return new OutputSpec(Path.of("results"), OutputSpec.KeepModels.BEST);
        }
        Section s = section.get().allow("dir", "keep_models");
        Path dir = s.node("dir").isPresent() ? path(s, "dir") : Path.of("results");
        OutputSpec.KeepModels keep = s.node("keep_models").isPresent()
                ? enumValue(s, "keep_models", OutputSpec.KeepModels.values())
                : OutputSpec.KeepModels.BEST;
        return new OutputSpec(dir, keep);
    }

    /** A file or folder path: text without control characters that the operating system accepts as a path. */
    static Path path(Section s, String key) throws StudyFileException {
        String text = s.string(key);
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw s.error(key, "must be a path without control characters, got '" + Printable.of(text) + "'");
        }
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw s.error(key, "is not a valid path: " + e.getReason() + ", got '" + Printable.of(text) + "'");
        }
    }

    /**
     * The line of the node at {@code fieldPath} (as in error messages: {@code data.train_images},
     * {@code space.optimizer.values[1]}) in study-file {@code text}; empty when the text does not parse or has no
     * such node.
     */
    public static Optional<Integer> lineOf(String text, String fieldPath) {
        try {
            YamlNode node = YamlTreeReader.read(text);
            for (String part : fieldPath.split("\\.")) {
                Matcher m = Pattern.compile("([^\\[]*)((?:\\[\\d+\\])*)").matcher(part);
                if (!m.matches()) {
                    return Optional.empty();
                }
                if (!m.group(1).isEmpty()) {
                    if (!(node instanceof YamlNode.Mapping map) || !map.entries().containsKey(m.group(1))) {
                        return Optional.empty();
                    }
                    node = map.entries().get(m.group(1));
                }
                Matcher index = Pattern.compile("\\[(\\d+)\\]").matcher(m.group(2));
                while (index.find()) {
                    int i = Integer.parseInt(index.group(1));
                    if (!(node instanceof YamlNode.Sequence seq) || i >= seq.items().size()) {
                        return Optional.empty();
                    }
                    node = seq.items().get(i);
                }
            }
            return node.line() > 0 ? Optional.of(node.line()) : Optional.empty();
        } catch (StudyFileException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int positiveInt(Section s, String key) throws StudyFileException {
        long v = s.integer(key);
        if (v < 1 || v > 1_000_000) {
            throw s.error(key, "must be a whole number from 1 to 1000000, got " + v);
        }
        return (int) v;
    }

    static <E extends Enum<E>> E enumValue(Section s, String key, E[] values) throws StudyFileException {
        String text = s.string(key);
        return Keys.parse(values, text)
                .orElseThrow(() -> s.error(key, "unknown value '" + text + "'; use one of: " + Keys.list(values)));
    }
}
