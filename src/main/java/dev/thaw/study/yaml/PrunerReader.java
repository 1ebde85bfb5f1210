package dev.thaw.study.yaml;

import dev.thaw.study.Keys;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.PrunerSpec.Type;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the study file's {@code pruner} block into a {@link PrunerSpec}: absent, empty or {@code none} is
 * {@link PrunerSpec#NONE}; otherwise a mapping with a {@code type} and the settings of that type (defaults from
 * {@link PrunerSpec#NONE}). A setting of another type is refused, and so are rungs that cannot lie below the study's
 * epochs.
 */
final class PrunerReader {
    /** Each setting and the types it is for, in the order the study file shows them. */
    static final Map<String, List<Type>> SETTINGS = settings();

    private static Map<String, List<Type>> settings() {
        Map<String, List<Type>> m = new LinkedHashMap<>();
        m.put("min_epochs", List.of(Type.ASHA, Type.HYPERBAND));
        m.put("reduction_factor", List.of(Type.ASHA, Type.HYPERBAND));
        m.put("mode", List.of(Type.ASHA, Type.HYPERBAND));
        m.put("warmup_epochs", List.of(Type.MEDIAN));
        m.put("startup_trials", List.of(Type.MEDIAN));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param root   the study file's top level, which may hold {@code pruner}
     * @param epochs the study's epochs per trial (budget.epochs): rungs lie below it, a warm-up within it
     */
    PrunerSpec read(Section root, int epochs) throws StudyFileException {
        YamlNode node = root.node("pruner").orElse(null);
        if (node == null) {
            return PrunerSpec.NONE;
        }
        if (!(node instanceof YamlNode.Mapping)) {
            if (node instanceof YamlNode.Scalar sc && sc.value() instanceof String text) {
                Type type = Keys.parse(Type.values(), text).orElse(null);
                if (type == Type.NONE) {
                    return PrunerSpec.NONE;
                }
                if (type != null) {
                    throw root.error("pruner", "write " + Keys.of(type) + " as a mapping with its settings, like "
                            + "{type: " + Keys.of(type) + "}; only none stands alone");
                }
            }
            throw root.error("pruner", "must be none or a mapping with a type (" + Keys.list(Type.values())
                    + "), like {type: asha}, got " + node.kind());
        }
        List<String> keys = new java.util.ArrayList<>(List.of("type"));
        keys.addAll(SETTINGS.keySet());
        Section s = root.section("pruner").allow(keys.toArray(String[]::new));
        Type type = StudyFileReader.enumValue(s, "type", Type.values());
        for (Map.Entry<String, List<Type>> e : SETTINGS.entrySet()) {
            if (s.node(e.getKey()).isPresent() && !e.getValue().contains(type)) {
                throw s.error(e.getKey(), notFor(e.getKey(), e.getValue(), type));
            }
        }
        PrunerSpec d = PrunerSpec.NONE;
        return switch (type) {
            case NONE -> PrunerSpec.NONE;
            case MEDIAN -> new PrunerSpec(type, d.minEpochs(), d.reductionFactor(), d.mode(), warmup(s, epochs),
                    startupTrials(s));
            case ASHA, HYPERBAND -> {
                int min = minEpochs(s, epochs);
                int eta = s.intValue("reduction_factor", d.reductionFactor());
                if (eta < 2) {
                    throw s.error("reduction_factor", "must be a whole number >= 2 (the top 1/reduction_factor of a "
                            + "rung go on), got " + eta);
                }
                PrunerSpec.Mode mode = s.node("mode").isPresent()
                        ? StudyFileReader.enumValue(s, "mode", PrunerSpec.Mode.values()) : d.mode();
                yield new PrunerSpec(type, min, eta, mode, d.warmupEpochs(), d.startupTrials());
            }
        };
    }

    /** Why {@code key}, a setting of {@code types}, has no place under {@code type}, and what to do. */
    private static String notFor(String key, List<Type> types, Type type) {
        String those = types.stream().map(Keys::of).collect(Collectors.joining(" or "));
        String why = key.equals("mode") && type == Type.MEDIAN ? " (median ends a trial; only asha and hyperband "
                + "can pause one)" : "";
        return "is a setting of type " + those + why + ", and type is " + Keys.of(type) + "; remove " + key
                + ", or set type " + those;
    }

    private static int minEpochs(Section s, int epochs) throws StudyFileException {
        int min = s.intValue("min_epochs", PrunerSpec.NONE.minEpochs());
        if (min < 1) {
            throw s.error("min_epochs", "must be a whole number >= 1 (the first rung, in epochs), got " + min);
        }
        if (min >= epochs) {
            throw s.error("min_epochs", "min_epochs " + min + " leaves no rung below epochs " + epochs + "; "
                    + (min > 1 ? "lower min_epochs or raise budget.epochs" : "raise budget.epochs or remove pruner"));
        }
        return min;
    }

    private static int warmup(Section s, int epochs) throws StudyFileException {
        int warmup = s.intValue("warmup_epochs", PrunerSpec.NONE.warmupEpochs());
        if (warmup < 1) {
            throw s.error("warmup_epochs", "must be a whole number >= 1 (the first epoch at which median may prune), "
                    + "got " + warmup);
        }
        if (warmup > epochs) {
            throw s.error("warmup_epochs", "warmup_epochs " + warmup + " is past the last epoch, " + epochs
                    + "; lower warmup_epochs or raise budget.epochs");
        }
        return warmup;
    }

    private static int startupTrials(Section s) throws StudyFileException {
        int startup = s.intValue("startup_trials", PrunerSpec.NONE.startupTrials());
        if (startup < 0) {
            throw s.error("startup_trials", "must be a whole number >= 0 (trials that must be complete before median "
                    + "prunes), got " + startup);
        }
        return startup;
    }
}
