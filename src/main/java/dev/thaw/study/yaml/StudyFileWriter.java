package dev.thaw.study.yaml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.thaw.study.CacheSpec;
import dev.thaw.study.Condition;
import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Keys;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.Provenance;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link StudySpec} as a study file that {@link StudyFileReader} reads back to an equal spec. Text the reader
 * would read back as something else if written plain (a class folder named {@code 1.50}, {@code true}, {@code ~} or
 * {@code 0x1F}, or text with a line break) is double-quoted; numbers are written as Java prints them, which parses
 * back to the same double or long.
 */
public final class StudyFileWriter {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .registerModule(new SimpleModule().addSerializer(String.class, new TextSerializer()));

    /**
     * What a study's trials depend on, as a hash of its canonical form: everything but the trial budget, time limit
     * and slots (which a user may change to continue a study), the baseline (which a user may add), the cache (which
     * changes how fast trials run, not what they compute) and the file's comments and layout. Conditions
     * ({@code when}), TPE's settings and the pruner are part of it; a study without them writes no such keys, so its
     * identity is what it was before Thaw had them.
     */
    public String identity(StudySpec spec) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(write(core(spec), null)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The part of a study its identity covers (see {@link #identity}). */
    private static StudySpec core(StudySpec spec) {
        SearchSpec s = spec.search();
        return new StudySpec(spec.name(), spec.seed(), spec.model(), spec.data(), spec.metric(),
                spec.direction(), new SearchSpec(s.algorithm(), 1, s.seed(), Optional.empty(), s.gridPoints(), s.tpe()),
                spec.epochs(), spec.space(), spec.output(), 1, dev.thaw.study.Baseline.NONE, spec.when(), spec.pruner(),
                CacheSpec.DEFAULT);
    }

    /**
     * The fields, as dotted paths ({@code budget.epochs}, {@code space.learning_rate.high}), in which two studies'
     * identities differ: what keeps {@code b} from continuing {@code a}. Empty when they are the same study.
     */
    public List<String> differences(StudySpec a, StudySpec b) {
        try {
            List<String> out = new java.util.ArrayList<>();
            diff(yaml.readTree(write(core(a), null)), yaml.readTree(write(core(b), null)), "", out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void diff(com.fasterxml.jackson.databind.JsonNode a, com.fasterxml.jackson.databind.JsonNode b,
                             String path, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diff(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k, out);
            }
        } else if (a == null || !a.equals(b)) {
            out.add(path);
        }
    }

    /** The study as YAML, with {@code provenance} appended when given. */
    public String write(StudySpec spec, Provenance provenance) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", spec.name());
        root.put("seed", spec.seed());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("source", spec.model().source().key());
        spec.model().path().ifPresent(p -> model.put("path", p.toString()));
        spec.model().zoo().ifPresent(z -> {
            model.put("name", z.key());
            model.put("weights", spec.model().weights().key());
        });
        model.put("head", ordered("hidden", spec.model().hiddenUnits()));
        root.put("model", model);
        root.put("data", data(spec.data(), spec.model()));
        root.put("objective", ordered("metric", spec.metric().key(), "direction", spec.direction().key()));
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("algorithm", spec.search().algorithm().key());
        search.put("trials", spec.search().trials());
        search.put("seed", spec.search().seed());
        spec.search().maxTime().ifPresent(d -> search.put("max_time", d.toSeconds() + "s"));
        search.put("grid_points", spec.search().gridPoints());
        SearchSpec.TpeOptions tpe = spec.search().tpe();
        if (spec.search().algorithm() == SearchSpec.Algorithm.TPE && !tpe.equals(SearchSpec.TpeOptions.DEFAULT)) {
            search.put("tpe", ordered("startup_trials", tpe.startupTrials(), "gamma", tpe.gamma(), "candidates",
                    tpe.candidates(), "multivariate", tpe.multivariate()));
        }
        root.put("search", search);
        root.put("budget", ordered("epochs", spec.epochs()));
        if (spec.pruner().type() != PrunerSpec.Type.NONE) {
            root.put("pruner", pruner(spec.pruner()));
        }
        Map<String, Object> space = new LinkedHashMap<>();
        spec.space().forEach((k, p) -> space.put(k, param(p, Optional.ofNullable(spec.when().get(k)))));
        root.put("space", space);
        if (spec.slots() > 0) {
            root.put("resources", ordered("slots", spec.slots()));
        }
        root.put("output", ordered("dir", spec.output().dir().toString(), "keep_models", spec.output().keepModels().key()));
        if (!spec.cache().equals(CacheSpec.DEFAULT)) {
            root.put("cache", cache(spec.cache()));
        }
        if (spec.data().folds() > 1) {
            root.put("validation", ordered("folds", spec.data().folds()));
        }
        if (spec.baseline() != dev.thaw.study.Baseline.NONE) {
            root.put("baseline", spec.baseline().key());
        }
        if (provenance != null) {
            root.put("provenance", provenance(provenance));
        }
        try {
            return yaml.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A map that keeps its keys in the order given (Map.of's order changes from one JVM to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The data section; an IDX study's keys are exactly those of earlier versions, so its identity holds. */
    private static Map<String, Object> data(DataSpec d, ModelSpec model) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("format", d.source().format());
        if (d.source() instanceof ImageSource.Idx idx) {
            data.put("train_images", idx.trainImages().toString());
            data.put("train_labels", idx.trainLabels().toString());
            idx.testImages().ifPresent(p -> data.put("test_images", p.toString()));
            idx.testLabels().ifPresent(p -> data.put("test_labels", p.toString()));
            data.put("classes", d.classes());
        } else if (d.source() instanceof ImageSource.Cifar10 cifar) {
            data.put("dir", cifar.dir().toString());
            data.put("classes", d.classNames());
        } else if (d.source() instanceof ImageSource.Folders folders) {
            data.put("train_dir", folders.train().toString());
            folders.test().ifPresent(p -> data.put("test_dir", p.toString()));
            if (!d.classesPending()) { // pending: every sub-folder, as the file said
                data.put("classes", d.classNames());
            }
        }
        if (d.perClass() > 0) {
            data.put("per_class", d.perClass());
        }
        data.put("validation_fraction", d.validationFraction());
        data.put("image_size", d.imageSize());
        if (d.preprocess() != model.defaultPreprocess()) {
            data.put("preprocess", d.preprocess().key());
        }
        return data;
    }

    /** The pruner's type and the settings of that type (those of another type are not written, nor read). */
    private static Map<String, Object> pruner(PrunerSpec p) {
        return switch (p.type()) {
            case MEDIAN -> ordered("type", Keys.of(p.type()), "warmup_epochs", p.warmupEpochs(), "startup_trials",
                    p.startupTrials());
            case ASHA, HYPERBAND -> ordered("type", Keys.of(p.type()), "min_epochs", p.minEpochs(), "reduction_factor",
                    p.reductionFactor(), "mode", Keys.of(p.mode()));
            case NONE -> throw new IllegalArgumentException("no pruner is written as no pruner block");
        };
    }

    /** The cache block: features, the folder when one is given (else output.dir/cache), max_gb. */
    private static Map<String, Object> cache(CacheSpec c) {
        Map<String, Object> m = ordered("features", c.features().key());
        c.dir().ifPresent(d -> m.put("dir", d.toString()));
        m.put("max_gb", c.maxGb());
        return m;
    }

    /** A parameter as a plain value (fixed) or a mapping with its type, and its condition when it has one. */
    private static Object param(ParamSpec p, Optional<Condition> when) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p instanceof ParamSpec.FixedParam f) {
            if (when.isEmpty()) {
                return f.value();
            }
            m.put("type", "fixed");
            m.put("value", f.value());
        } else if (p instanceof ParamSpec.FloatParam f) {
            m.put("type", "float");
            m.put("low", f.low());
            m.put("high", f.high());
            m.put("log", f.log());
        } else if (p instanceof ParamSpec.IntParam i) {
            m.put("type", "int");
            m.put("low", i.low());
            m.put("high", i.high());
            m.put("step", i.step());
        } else if (p instanceof ParamSpec.ChoiceParam c) {
            m.put("type", "choice");
            m.put("values", List.copyOf(c.values()));
        }
        when.ifPresent(c -> {
            Map<String, Object> requires = new LinkedHashMap<>();
            c.requires().forEach((name, allowed) -> requires.put(name, allowed(allowed)));
            m.put("when", requires);
        });
        return m;
    }

    /** A value, a list of values, or {min, max}; what a study file's {@code when} can say. */
    private static Object allowed(Condition.Allowed allowed) {
        if (allowed instanceof Condition.OneOf o) {
            return o.values().size() == 1 ? o.values().get(0) : List.copyOf(o.values());
        }
        if (allowed instanceof Condition.Between b) {
            Map<String, Object> range = new LinkedHashMap<>();
            b.min().ifPresent(v -> range.put("min", v));
            b.max().ifPresent(v -> range.put("max", v));
            return range;
        }
        throw new IllegalArgumentException("a study file's when gives each parameter one value, list or range, got "
                + allowed);
    }

    private static Map<String, Object> provenance(Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", p.study());
        m.put("trial", p.trial());
        m.put("metric", p.metric());
        m.put("score", p.score());
        m.put("seed", p.seed());
        m.put("dataset_fingerprint", p.datasetFingerprint());
        m.put("thaw_version", p.thawVersion());
        m.put("dl4j_version", p.dl4jVersion());
        m.put("java_version", p.javaVersion());
        return m;
    }

    /**
     * Writes text plain when the study-file reader's own YAML reading takes the plain form back as that very text, and
     * double-quoted (with escapes) otherwise: YAML would take a plain {@code 1.50} for a number, {@code no} for a
     * boolean, {@code ~} for nothing, and would change line breaks in a block. Text that reads back plain is written as
     * before this rule, so such a study keeps its identity.
     */
    private static final class TextSerializer extends StdSerializer<String> {
        TextSerializer() {
            super(String.class);
        }

        @Override
        public void serialize(String text, JsonGenerator out, SerializerProvider provider) throws IOException {
            YAMLGenerator yaml = (YAMLGenerator) out;
            if (readsBackAsItself(text)) {
                yaml.writeString(text);
                return;
            }
            yaml.disable(YAMLGenerator.Feature.MINIMIZE_QUOTES);    // without it, Jackson double-quotes every text
            try {
                yaml.writeString(text);
            } finally {
                yaml.enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
            }
        }

        private static boolean readsBackAsItself(String plain) {
            try {
                return YamlTreeReader.read(plain) instanceof YamlNode.Scalar s && plain.equals(s.value());
            } catch (StudyFileException e) {
                return false;
            }
        }
    }
}
