package dev.thaw.study.yaml;

import dev.thaw.study.Condition;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code space} section. Each key is a {@link Hyperparameter}; its value is a plain value (fixed) or a
 * mapping with {@code type: float | int | choice | fixed} and, optionally, {@code when:} (read by
 * {@link ConditionReader}). Hyperparameters left out are fixed at their defaults.
 */
final class SpaceReader {

    /** The space's parameters in the file's order (then the defaults), and the conditions it declares on them. */
    record Space(Map<String, ParamSpec> params, Map<String, Condition> when) {
    }

    Space read(Section space) throws StudyFileException {
        Map<String, ParamSpec> out = new LinkedHashMap<>();
        Map<String, Section> conditioned = new LinkedHashMap<>();
        for (String key : space.keys()) {
            Hyperparameter h = Hyperparameter.parse(key).orElseThrow(() -> space.error(key,
                    "unknown hyperparameter; searchable here: " + Hyperparameter.keys()));
            if (out.containsKey(h.key())) {
                throw space.error(key, "is " + h.key() + " again; keep one");
            }
            out.put(h.key(), param(space, key, h));
            if (space.require(key) instanceof YamlNode.Mapping m) {
                Section s = Section.of(m, space.pathOf(key));
                if (s.node("when").isPresent()) {
                    conditioned.put(h.key(), s);
                }
            }
        }
        java.util.Set<String> written = java.util.Set.copyOf(out.keySet());
        for (Hyperparameter h : Hyperparameter.values()) {
            if (h.always()) {
                out.putIfAbsent(h.key(), new ParamSpec.FixedParam(h.defaultValue()));
            }
        }
        return new Space(out, new ConditionReader(out, written).read(conditioned));
    }

    private ParamSpec param(Section space, String key, Hyperparameter h) throws StudyFileException {
        YamlNode node = space.require(key);
        if (node instanceof YamlNode.Scalar) {
            return new ParamSpec.FixedParam(value(node, space.pathOf(key), h));
        }
        Section s = Section.of(node, space.pathOf(key));
        if (s.node("type").isEmpty() && s.node("when").isPresent()) {
            throw s.error("type", "is required; a condition goes on a mapping with a type, and on a fixed value as "
                    + "{type: fixed, value: V, when: {...}}");
        }
        String type = s.string("type");
        return switch (type) {
            case "fixed" -> {
                s.allow("type", "value", "when");
                yield new ParamSpec.FixedParam(value(s.require("value"), s.pathOf("value"), h));
            }
            case "choice" -> {
                s.allow("type", "values", "when");
                List<Object> values = new ArrayList<>();
                java.util.Set<Object> seen = new java.util.HashSet<>(); // a list may hold 100,000s: no scan per value
                List<YamlNode> items = s.list("values");
                if (items.isEmpty()) {
                    throw s.error("values", "list at least one value");
                }
                for (int i = 0; i < items.size(); i++) {
                    Object v = value(items.get(i), s.pathOf("values") + "[" + i + "]", h);
                    if (!seen.add(v)) {
                        throw StudyFileException.at(s.pathOf("values") + "[" + i + "]", items.get(i).line(),
                                "value " + v + " is listed twice");
                    }
                    values.add(v);
                }
                yield values.size() == 1 ? new ParamSpec.FixedParam(values.get(0)) : new ParamSpec.ChoiceParam(values);
            }
            case "float" -> floatRange(s, h);
            case "int" -> intRange(s, h);
            default -> throw s.error("type", "unknown type '" + type + "'; use one of: float, int, choice, fixed");
        };
    }

    private ParamSpec floatRange(Section s, Hyperparameter h) throws StudyFileException {
        s.allow("type", "low", "high", "log", "when");
        if (h.kind() != Hyperparameter.Kind.FLOAT) {
            throw s.error("type", h.key() + " takes " + kindName(h) + ", not a float range");
        }
        double low = s.number("low");
        double high = s.number("high");
        boolean log = s.bool("log", false);
        if (log && low <= 0) {
            throw s.error("low", "must be > 0 for a log scale, got " + low);
        }
        check(s, "low", h, low);
        check(s, "high", h, high);
        if (low > high) {
            throw s.error("low", "low <= high must hold, got low=" + low + ", high=" + high);
        }
        return low == high ? new ParamSpec.FixedParam(low) : new ParamSpec.FloatParam(low, high, log);
    }

    /** A stepped int range is a list of values to the samplers; beyond this many it is a mistake, not a space. */
    static final int MAX_STEPPED_VALUES = 100_000;

    private ParamSpec intRange(Section s, Hyperparameter h) throws StudyFileException {
        s.allow("type", "low", "high", "step", "when");
        if (h.kind() != Hyperparameter.Kind.INT) {
            throw s.error("type", h.key() + " takes " + kindName(h) + ", not an int range");
        }
        int low = s.intValue("low");
        int high = s.intValue("high");
        int step = s.intValue("step", 1);
        check(s, "low", h, low);
        check(s, "high", h, high);
        if (low > high) {
            throw s.error("low", "low <= high must hold, got low=" + low + ", high=" + high);
        }
        if (step < 1) {
            throw s.error("step", "must be >= 1, got " + step);
        }
        if (step > 1 && ((long) high - low) / step + 1 > MAX_STEPPED_VALUES) {
            throw s.error("step", "gives " + (((long) high - low) / step + 1) + " values; a stepped range may hold at "
                    + "most " + MAX_STEPPED_VALUES + " (raise step, or use step 1)");
        }
        return low == high ? new ParamSpec.FixedParam(low) : new ParamSpec.IntParam(low, high, step);
    }

    private static void check(Section s, String key, Hyperparameter h, Object value) throws StudyFileException {
        Optional<String> problem = h.problemWith(value);
        if (problem.isPresent()) {
            throw s.error(key, problem.get());
        }
    }

    /** One value of hyperparameter {@code h}, converted to its kind: Double, Integer or String. */
    static Object value(YamlNode node, String path, Hyperparameter h) throws StudyFileException {
        Object raw = node instanceof YamlNode.Scalar sc ? sc.value() : null;
        Object value = switch (h.kind()) {
            case FLOAT -> Section.asNumber(node).map(Number::doubleValue).orElse(null);
            case INT -> raw instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : null;
            case OPTIMIZER, SCHEDULE, AUGMENT -> raw instanceof String text ? text.toLowerCase(java.util.Locale.ROOT) : null;
        };
        if (value == null) {
            throw StudyFileException.at(path, node.line(), "must be " + kindName(h) + ", got " + node.kind());
        }
        Optional<String> problem = h.problemWith(value);
        if (problem.isPresent()) {
            throw StudyFileException.at(path, node.line(), problem.get());
        }
        return value;
    }

    static String kindName(Hyperparameter h) {
        return switch (h.kind()) {
            case FLOAT -> "a number";
            case INT -> "a whole number";
            case OPTIMIZER -> "an optimizer name";
            case SCHEDULE -> "a schedule name";
            case AUGMENT -> "an augmentation preset (none, light, strong)";
        };
    }
}
