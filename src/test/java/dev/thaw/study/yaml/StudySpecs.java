package dev.thaw.study.yaml;

import dev.thaw.study.Augmentation;
import dev.thaw.study.Baseline;
import dev.thaw.study.CacheSpec;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.Condition;
import dev.thaw.study.DataSpec;
import dev.thaw.study.Direction;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Keys;
import dev.thaw.study.LrSchedule;
import dev.thaw.study.Metric;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.Optimizer;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.Preprocess;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Seeded random study specs over the whole domain {@link StudyFileReader} accepts, in the form it gives them (a
 * float hyperparameter's values as Double, an int one's as Integer, names in lower case; a range of one value or a
 * choice of one as fixed; every always-searched hyperparameter in the space), with the files and folders each spec
 * names created under a folder of its own. Text fields (class folders, file and folder names, study names) are drawn
 * from {@link #TRICKY} and from random strings of characters YAML gives meaning to; numbers from the edges of what
 * the reader accepts.
 */
final class StudySpecs {
    /** Text that YAML 1.1 or 1.2 may read as something else, or that needs care in a YAML scalar. */
    static final List<String> TRICKY = List.of("1.50", "2.00", "1e3", "1E-3", "1.0E300", "0x1F", "0o17", "017", "0b101",
            "1_000", "1:20", "+1", "-1", "-.5", ".5", "2026-01-01", "2026-01-01T10:00:00Z", "true", "True", "FALSE",
            "yes", "no", "on", "off", "y", "n", "Y", "~", "null", "Null", "NULL", "NaN", "nan", ".inf", "-.inf", ".NaN",
            "-", ":", "#", "'", "\"", "?", "!", "&", "*", "%", "@", "`", "|", ">", "[", "]", "{", "}", ",", "=", "<<",
            "a b", " lead", "trail ", " ", "  ", "\t", "a: b", "a:b", "a #b", "a#b", "- x", "? x", "---", "...",
            "ü", "日本語", "emoji 😀", "a\nb", "line\n", "\nfirst", "a\r\nb", "\\", "\\n", "'quoted'", "\"double\"",
            "a,b", "[x]", "{x: 1}", "&anchor", "*alias", "!!str", "!tag", "%YAML 1.2", "bell\u0007", "nel\u0085",
            "ls\u2028", "bom\uFEFF", "del\u007F", "a  b", "word ".repeat(30).strip(), "x".repeat(200));
    /** Study names: as {@link StudySpec#NAME} allows, many of them numbers, booleans or null to YAML. */
    private static final List<String> NAMES = List.of("1.50", "2.00", "1e3", "0x1F", "0o17", "017", "0b101", "1_000",
            "2026-01-01", "true", "no", "off", "y", "null", "NULL", "NaN", "1", "0", "1.0E300", "study", "a-b_c.d");
    private static final List<Integer> INTS = List.of(0, 1, 2, 3, 4, 31, 32, 100, 4096, 65_535, 65_536, 65_537,
            1_000_000, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE);
    private static final List<Double> DOUBLES = List.of(0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1e-12,
            1e-4, 1e-3, (double) 0.1f, 0.1, 0.2, 1.0 / 3, 0.25, 0.5, Math.nextDown(0.5), Math.nextUp(0.5),
            Math.nextDown(1.0), 1.0, Math.nextUp(1.0), 2.5, Math.nextDown(10.0), 10.0, 179.99999999999997, 180.0,
            1e300, Double.MAX_VALUE, -1e-12);
    /** The longest search.max_time the reader takes: 100 years. */
    static final long MAX_TIME_SECONDS = 100L * 366 * 24 * 3600;
    private static final List<Long> LONGS = List.of(0L, 1L, -1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
            (long) Integer.MAX_VALUE + 1, 9_007_199_254_740_993L);

    private final Random random;
    private final Random prunerDraws;
    private final Random cacheDraws;
    private final Path dir;
    private int count;

    /** Specs drawn from {@code seed}, their files under {@code dir}. */
    StudySpecs(long seed, Path dir) {
        this.random = new Random(seed);
        this.prunerDraws = new Random(~seed);
        this.cacheDraws = new Random(seed * 0x9E3779B97F4A7C15L + 1);
        this.dir = dir;
    }

    /** The next spec; its files exist when this returns. */
    StudySpec next() throws IOException {
        Path home = Files.createDirectories(dir.resolve("s" + count++));
        ModelSpec model = model(home);
        DataSpec data = data(home, model);
        List<Metric> metrics = new ArrayList<>(List.of(Metric.values()));
        if (!data.hasTest()) {
            metrics.removeIf(Metric::needsTestData);
        }
        Metric metric = pick(metrics);
        Optional<Duration> maxTime = random.nextBoolean() ? Optional.empty()
                : Optional.of(Duration.ofSeconds(pick(List.of(1L, 59L, 60L, 3600L, 86_400L, MAX_TIME_SECONDS,
                        1 + (random.nextLong() >>> 1) % MAX_TIME_SECONDS))));
        SearchSpec.Algorithm algorithm = pick(List.of(SearchSpec.Algorithm.values()));
        SearchSpec search = new SearchSpec(algorithm, between(1, 1_000_000), pickLong(), maxTime, between(2, 1000),
                algorithm == SearchSpec.Algorithm.TPE && random.nextBoolean() ? tpe() : SearchSpec.TpeOptions.DEFAULT);
        String outputDir;
        do {
            outputDir = nonBlank(random.nextBoolean() ? pick(TRICKY) : text());
        } while (!fileNameOk(outputDir));
        OutputSpec output = new OutputSpec(Path.of(random.nextBoolean() ? outputDir : dir.resolve(outputDir).toString()),
                pick(List.of(OutputSpec.KeepModels.values())));
        Map<String, ParamSpec> space = space();
        if (search.gridCells(space.values()) > SearchSpec.MAX_GRID_CELLS) { // a grid the reader refuses
            search = new SearchSpec(SearchSpec.Algorithm.RANDOM, search.trials(), search.seed(), search.maxTime(),
                    search.gridPoints());
        }
        String name = random.nextBoolean() ? pick(NAMES) : randomName();
        long seed = pickLong();
        Direction direction = pick(List.of(Direction.values()));
        int epochs = between(1, 1_000_000);
        int slots = random.nextBoolean() ? 0 : between(1, 256);
        Baseline baseline = pick(List.of(Baseline.values()));
        Map<String, Condition> when = when(space);
        return new StudySpec(name, seed, model, data, metric, direction, search, epochs, space, output, slots, baseline,
                when, pruner(epochs), cache(home));
    }

    /**
     * The default half the time, else a cache with features of either kind, a folder (tricky text, relative or under
     * {@code home}) or none, and a size from the edges of what the reader takes. Drawn from a sequence of its own, so
     * that the other parts of the specs are those drawn before studies had caches.
     */
    private CacheSpec cache(Path home) {
        if (cacheDraws.nextBoolean()) {
            return CacheSpec.DEFAULT;
        }
        CacheSpec.Features features = cacheDraws.nextBoolean() ? CacheSpec.Features.AUTO : CacheSpec.Features.OFF;
        Optional<Path> folder = Optional.empty();
        if (cacheDraws.nextBoolean()) {
            String name;
            do {
                name = TRICKY.get(cacheDraws.nextInt(TRICKY.size()));
            } while (name.isBlank() || name.contains("/") || name.equals(".") || name.equals("..") || !fileNameOk(name));
            folder = Optional.of(cacheDraws.nextBoolean() ? Path.of(name) : home.resolve(name));
        }
        List<Double> sizes = List.of(Double.MIN_VALUE, 1e-12, 0.1, 0.5, 1.0, 2.5, 10.0, 1e300, Double.MAX_VALUE,
                1e-3 + cacheDraws.nextDouble() * 100);
        return new CacheSpec(features, folder, sizes.get(cacheDraws.nextInt(sizes.size())));
    }

    /**
     * None half the time, else a pruner of any type with settings of that type only (the others at their defaults, as
     * the reader gives them), its first rung below {@code epochs} and its warm-up within them. Drawn from a sequence of
     * its own, so that the other parts of the specs are those drawn before studies had pruners.
     */
    private PrunerSpec pruner(int epochs) {
        PrunerSpec d = PrunerSpec.NONE;
        List<PrunerSpec.Type> types = List.of(PrunerSpec.Type.MEDIAN, PrunerSpec.Type.ASHA, PrunerSpec.Type.HYPERBAND);
        PrunerSpec.Type type = prunerDraws.nextBoolean() || epochs == 1 ? PrunerSpec.Type.NONE
                : types.get(prunerDraws.nextInt(types.size()));
        return switch (type) {
            case NONE -> d;
            case MEDIAN -> new PrunerSpec(type, d.minEpochs(), d.reductionFactor(), d.mode(),
                    prunerPick(1, epochs, 1 + prunerDraws.nextInt(epochs)),
                    prunerPick(0, Integer.MAX_VALUE, prunerDraws.nextInt(101)));
            case ASHA, HYPERBAND -> new PrunerSpec(type, prunerPick(1, epochs - 1, 1 + prunerDraws.nextInt(epochs - 1)),
                    prunerPick(2, Integer.MAX_VALUE, 2 + prunerDraws.nextInt(9)),
                    prunerDraws.nextBoolean() ? PrunerSpec.Mode.STOP : PrunerSpec.Mode.PAUSE,
                    d.warmupEpochs(), d.startupTrials());
        };
    }

    /** One of the least, the largest and another value. */
    private int prunerPick(int least, int largest, int another) {
        return List.of(least, largest, another).get(prunerDraws.nextInt(3));
    }

    private SearchSpec.TpeOptions tpe() {
        return new SearchSpec.TpeOptions(pick(List.of(0, 1, 10, Integer.MAX_VALUE, between(0, 1000))),
                pick(List.of(Double.MIN_VALUE, 0.1, 0.25, Math.nextDown(1.0), Math.nextUp(0.0) + random.nextDouble() / 2)),
                pick(List.of(1, 24, SearchSpec.TpeOptions.MAX_CANDIDATES, between(1, 1000))), random.nextBoolean());
    }

    /**
     * Conditions on about a third of the parameters, each naming one or two others with a value, a list or a range
     * they can take, never forming a cycle (with Thaw's own conditions).
     */
    private Map<String, Condition> when(Map<String, ParamSpec> space) {
        Map<String, Condition> out = new LinkedHashMap<>();
        for (String name : space.keySet()) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            List<String> others = new ArrayList<>(space.keySet());
            others.remove(name);
            Collections.shuffle(others, random);
            Map<String, Condition.Allowed> requires = new LinkedHashMap<>();
            for (String controller : others.subList(0, Math.min(others.size(), 1 + random.nextInt(2)))) {
                if (!dependsOn(controller, name, out, space)) {
                    requires.put(controller, allowed(space.get(controller)));
                }
            }
            if (!requires.isEmpty()) {
                out.put(name, new Condition(requires));
            }
        }
        return out;
    }

    /** Whether {@code from} depends on {@code on} through the conditions so far and Thaw's own. */
    private static boolean dependsOn(String from, String on, Map<String, Condition> when, Map<String, ParamSpec> space) {
        if (from.equals(on)) {
            return true;
        }
        List<String> controllers = new ArrayList<>(when.getOrDefault(from, Condition.ALWAYS).requires().keySet());
        controllers.addAll(Hyperparameter.parse(from).orElseThrow().builtInCondition().requires().keySet());
        return controllers.stream().filter(space::containsKey).anyMatch(c -> dependsOn(c, on, when, space));
    }

    /** A value, a list of values or a range that {@code p} can take, in the form the reader gives it. */
    private Condition.Allowed allowed(ParamSpec p) {
        if (p instanceof ParamSpec.FixedParam f) {
            return f.value() instanceof Number n && random.nextBoolean()
                    ? new Condition.Between(OptionalDouble.of(n.doubleValue()), OptionalDouble.empty())
                    : new Condition.OneOf(List.of(f.value()));
        }
        if (p instanceof ParamSpec.ChoiceParam c) {
            return new Condition.OneOf(distinct(c.values(), 1, c.values().size()));
        }
        if (p instanceof ParamSpec.IntParam i) {
            return random.nextBoolean() ? new Condition.OneOf(List.of(i.value(random.nextInt((int) Math.min(i.count(),
                    1000))))) : new Condition.Between(OptionalDouble.of(i.low()), random.nextBoolean()
                    ? OptionalDouble.of(i.high()) : OptionalDouble.empty());
        }
        ParamSpec.FloatParam f = (ParamSpec.FloatParam) p;
        return random.nextBoolean() ? new Condition.OneOf(List.of(f.high()))
                : new Condition.Between(random.nextBoolean() ? OptionalDouble.of(f.low()) : OptionalDouble.empty(),
                OptionalDouble.of(f.high()));
    }

    private ModelSpec model(Path home) throws IOException {
        int hidden = random.nextBoolean() ? 0 : pick(INTS.stream().filter(i -> i >= 0).toList());
        ModelSpec.ModelSource source = pick(List.of(ModelSpec.ModelSource.values()));
        if (source == ModelSpec.ModelSource.ZOO) {
            return ModelSpec.zoo(pick(List.of(ModelSpec.ZooArchitecture.values())),
                    pick(List.of(ModelSpec.ZooWeights.values())), hidden);
        }
        return ModelSpec.file(source, file(home), hidden);
    }

    private DataSpec data(Path home, ModelSpec model) throws IOException {
        int perClass = random.nextBoolean() ? 0 : pick(List.of(1, 2, 999_999, 1_000_000, between(1, 1_000_000)));
        double validation = pick(List.of(Double.MIN_VALUE, 1e-12, (double) 0.1f, 0.2, 0.5, Math.nextDown(1.0),
                random.nextDouble()));
        validation = validation > 0 ? validation : 0.2;
        int imageSize = pick(List.of(4, 28, 224, 1023, 1024, between(4, 1024)));
        Preprocess preprocess = random.nextBoolean() ? model.defaultPreprocess() : pick(List.of(Preprocess.values()));
        int folds = random.nextBoolean() ? 1 : between(2, 20);
        boolean test = random.nextBoolean();
        DataSpec data = switch (random.nextInt(3)) {
            case 0 -> {
                List<Integer> labels = distinct(IntStream.range(0, 256).boxed().toList(), 2, 12);
                ImageSource.Idx idx = new ImageSource.Idx(file(home), file(home),
                        test ? Optional.of(file(home)) : Optional.empty(), test ? Optional.of(file(home)) : Optional.empty());
                yield new DataSpec(idx, labels, labels.stream().map(String::valueOf).toList(), perClass, validation,
                        imageSize, preprocess);
            }
            case 1 -> {
                Path cifar = Files.createDirectories(folder(home));
                Files.writeString(cifar.resolve("data_batch_1.bin"), "x");
                if (test) {
                    Files.writeString(cifar.resolve(ImageSource.Cifar10.TEST_BATCH), "x");
                }
                List<Integer> labels = distinct(IntStream.range(0, 10).boxed().toList(), 2, 10);
                yield new DataSpec(new ImageSource.Cifar10(cifar), labels,
                        labels.stream().map(ImageSource.Cifar10.NAMES::get).toList(), perClass, validation, imageSize,
                        preprocess);
            }
            default -> {
                List<String> names = distinct(classNames(), 2, 6);
                Path train = classFolders(folder(home), names);
                Optional<Path> testDir = test ? Optional.of(classFolders(folder(home), names)) : Optional.empty();
                yield new DataSpec(new ImageSource.Folders(train, testDir), IntStream.range(0, names.size()).boxed().toList(),
                        names, perClass, validation, imageSize, preprocess);
            }
        };
        return folds > 1 ? data.withFolds(folds) : data;
    }

    /** Every always-searched hyperparameter and about half of the others, in a random order. */
    private Map<String, ParamSpec> space() {
        List<Hyperparameter> named = new ArrayList<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            if (h.always() || random.nextBoolean()) {
                named.add(h);
            }
        }
        Collections.shuffle(named, random);
        Map<String, ParamSpec> space = new LinkedHashMap<>();
        named.forEach(h -> space.put(h.key(), param(h)));
        return space;
    }

    private ParamSpec param(Hyperparameter h) {
        List<Object> allowed = new ArrayList<>(switch (h.kind()) {
            case FLOAT -> {
                List<Object> values = new ArrayList<>(DOUBLES);
                IntStream.range(0, 4).forEach(i -> values.add(random.nextDouble() * pick(List.of(1.0, 10.0, 180.0))));
                yield values;
            }
            case INT -> {
                List<Object> values = new ArrayList<>(INTS);
                values.add(random.nextInt());
                values.add(random.nextInt(64));
                yield values;
            }
            case OPTIMIZER -> List.of(Optimizer.values()).stream().map(Optimizer::key).toList();
            case SCHEDULE -> List.of(LrSchedule.values()).stream().map(LrSchedule::key).toList();
            case AUGMENT -> List.of(Augmentation.Preset.values()).stream().map(Keys::of).toList();
        });
        allowed.removeIf(v -> h.problemWith(v).isPresent());
        int form = random.nextInt(4);
        if (form == 0 || allowed.size() < 2) {
            return new ParamSpec.FixedParam(pick(allowed));
        }
        if (form == 1 || h.kind() == Hyperparameter.Kind.OPTIMIZER || h.kind() == Hyperparameter.Kind.SCHEDULE
                || h.kind() == Hyperparameter.Kind.AUGMENT) {
            return new ParamSpec.ChoiceParam(distinct(allowed, 2, allowed.size()));
        }
        List<Object> bounds = distinct(allowed, 2, 2);
        bounds.sort((a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
        if (((Number) bounds.get(0)).doubleValue() == ((Number) bounds.get(1)).doubleValue()) {
            return new ParamSpec.FixedParam(bounds.get(0));   // 0.0 and -0.0: a range of one value reads as fixed
        }
        if (h.kind() == Hyperparameter.Kind.INT) {
            int low = (Integer) bounds.get(0);
            int high = (Integer) bounds.get(1);
            int step;
            do { // a stepped range holds at most SpaceReader.MAX_STEPPED_VALUES values
                step = pick(List.of(1, 2, 7, Integer.MAX_VALUE, between(1, Integer.MAX_VALUE)));
            } while (step > 1 && ((long) high - low) / step + 1 > SpaceReader.MAX_STEPPED_VALUES);
            return new ParamSpec.IntParam(low, high, step);
        }
        double low = (Double) bounds.get(0);
        return new ParamSpec.FloatParam(low, (Double) bounds.get(1), low > 0 && random.nextBoolean());
    }

    /** Candidate class-folder names: any text a folder can be named, but hidden ones (the reader skips those). */
    private List<String> classNames() {
        List<String> names = new ArrayList<>(TRICKY);
        IntStream.range(0, 20).forEach(i -> names.add(text()));
        names.removeIf(n -> n.isEmpty() || n.startsWith(".") || n.contains("/") || !fileNameOk(n));
        return names;
    }

    /** A new empty file, named tricky text, in a new folder of {@code home}. */
    private Path file(Path home) throws IOException {
        Path file = Files.createDirectories(folder(home)).resolve(safeFileName());
        Files.writeString(file, "x");
        return file;
    }

    private Path folder(Path home) {
        return home.resolve("d" + count++ + safeFileName());
    }

    private static Path classFolders(Path dir, List<String> names) throws IOException {
        for (String name : names) {
            Files.createDirectories(dir.resolve(name));
        }
        return dir;
    }

    private String safeFileName() {
        String name;
        do {
            name = random.nextBoolean() ? pick(TRICKY) : text();
        } while (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || !fileNameOk(name));
        return name;
    }

    /** A name the reader accepts in a path or as a class: no control characters (those are refused, case 9). */
    private static boolean fileNameOk(String name) {
        try {
            Path.of(name);
            return name.chars().noneMatch(Character::isISOControl);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** 1 to 8 characters, mostly ones YAML gives a meaning to. */
    String text() {
        String alphabet = "0123456789.eExob_:-+#'\" \t\n~,[]{}!&*?|>%@`=\\aZü日";
        StringBuilder b = new StringBuilder();
        int length = 1 + random.nextInt(8);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(20) == 0) {
                b.appendCodePoint(pick(List.of(0x1F600, 0x85, 0x2028, 0xFEFF, 0x7, 0x7F, 0xE9)));
            } else {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    private static String nonBlank(String s) {
        return s.isBlank() ? "x" + s : s;
    }

    private String randomName() {
        String first = "abcXYZ0123456789";
        String rest = "abcXYZ0123456789._-eE";
        StringBuilder b = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
        int length = random.nextInt(64);
        for (int i = 0; i < length; i++) {
            b.append(rest.charAt(random.nextInt(rest.length())));
        }
        return b.toString();
    }

    private long pickLong() {
        return random.nextBoolean() ? pick(LONGS) : random.nextLong();
    }

    private int between(int low, int high) {
        return low + (int) (random.nextDouble() * ((double) high - low + 1));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** {@code min} to {@code max} distinct values of {@code from}, in a random order. */
    private <T> List<T> distinct(List<T> from, int min, int max) {
        List<T> copy = new ArrayList<>(new java.util.LinkedHashSet<>(from));
        Collections.shuffle(copy, random);
        return new ArrayList<>(copy.subList(0, Math.min(copy.size(), between(min, max))));
    }
}
