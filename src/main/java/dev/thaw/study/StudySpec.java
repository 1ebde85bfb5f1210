package dev.thaw.study;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated study: what to fine-tune on which data, what to search and how, and how trials are ranked.
 * {@code space} holds every {@link Hyperparameter} key, searched or fixed, in the study file's order;
 * {@code slots} is how many of its trials may run at once; 0 means one per device of the machine that runs it (one per
 * GPU, or 1 on CPU); {@code baseline} is a comparison trial run besides the search; {@code when} holds the
 * conditions the study file declares on its parameters (Thaw's own conditions on its hyperparameters are added by
 * {@code dev.thaw.search.SearchSpace}); {@code pruner} says how losing trials end or pause early; {@code cache} how
 * trials reuse frozen-backbone activations (how fast they run, not what they compute).
 */
public record StudySpec(String name, long seed, ModelSpec model, DataSpec data, Metric metric, Direction direction,
                        SearchSpec search, int epochs, Map<String, ParamSpec> space, OutputSpec output, int slots,
                        Baseline baseline, Map<String, Condition> when, PrunerSpec pruner, CacheSpec cache) {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public StudySpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME + ", got '" + name + "'");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0, got " + slots);
        }
        if (pruner == null) {
            throw new IllegalArgumentException("pruner must be given; PrunerSpec.NONE for none");
        }
        if (cache == null) {
            throw new IllegalArgumentException("cache must be given; CacheSpec.DEFAULT for the default");
        }
        space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
        when = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(when));
        for (String conditioned : when.keySet()) {
            if (!space.containsKey(conditioned)) {
                throw new IllegalArgumentException("a condition on '" + conditioned + "', which is not in the space");
            }
        }
    }

    /** A study with the default cache. */
    public StudySpec(String name, long seed, ModelSpec model, DataSpec data, Metric metric, Direction direction,
                     SearchSpec search, int epochs, Map<String, ParamSpec> space, OutputSpec output, int slots,
                     Baseline baseline, Map<String, Condition> when, PrunerSpec pruner) {
        this(name, seed, model, data, metric, direction, search, epochs, space, output, slots, baseline, when, pruner,
                CacheSpec.DEFAULT);
    }

    /** A study without a pruner. */
    public StudySpec(String name, long seed, ModelSpec model, DataSpec data, Metric metric, Direction direction,
                     SearchSpec search, int epochs, Map<String, ParamSpec> space, OutputSpec output, int slots,
                     Baseline baseline, Map<String, Condition> when) {
        this(name, seed, model, data, metric, direction, search, epochs, space, output, slots, baseline, when,
                PrunerSpec.NONE, CacheSpec.DEFAULT);
    }

    /** A study without declared conditions. */
    public StudySpec(String name, long seed, ModelSpec model, DataSpec data, Metric metric, Direction direction,
                     SearchSpec search, int epochs, Map<String, ParamSpec> space, OutputSpec output, int slots,
                     Baseline baseline) {
        this(name, seed, model, data, metric, direction, search, epochs, space, output, slots, baseline, Map.of(),
                PrunerSpec.NONE, CacheSpec.DEFAULT);
    }

    /** A study without a baseline. */
    public StudySpec(String name, long seed, ModelSpec model, DataSpec data, Metric metric, Direction direction,
                     SearchSpec search, int epochs, Map<String, ParamSpec> space, OutputSpec output, int slots) {
        this(name, seed, model, data, metric, direction, search, epochs, space, output, slots, Baseline.NONE, Map.of(),
                PrunerSpec.NONE, CacheSpec.DEFAULT);
    }

    /** The same study under another name. */
    public StudySpec withName(String newName) {
        return new StudySpec(newName, seed, model, data, metric, direction, search, epochs, space, output, slots,
                baseline, when, pruner, cache);
    }

    /** The same study with another number of slots. */
    public StudySpec withSlots(int n) {
        return new StudySpec(name, seed, model, data, metric, direction, search, epochs, space, output, n, baseline,
                when, pruner, cache);
    }

    /** The same study on this data (the environment check fills in image folders' classes this way). */
    public StudySpec withData(DataSpec d) {
        return new StudySpec(name, seed, model, d, metric, direction, search, epochs, space, output, slots, baseline,
                when, pruner, cache);
    }

    /** The parameters actually searched (not fixed). */
    public Map<String, ParamSpec> searched() {
        Map<String, ParamSpec> out = new LinkedHashMap<>();
        space.forEach((k, v) -> {
            if (!(v instanceof ParamSpec.FixedParam)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
