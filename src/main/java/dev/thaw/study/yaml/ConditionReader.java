package dev.thaw.study.yaml;

import dev.thaw.study.Condition;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the {@code when:} of the space's parameters into {@link Condition}s: {@code when} maps parameter names to a
 * value, a list of values or {@code {min, max}} (either or both, for numbers), all of which must hold. Each name
 * must be another parameter of the space, each value one that parameter can take, and the conditions, with Thaw's
 * own ({@link Hyperparameter#builtInCondition()}), must not form a cycle.
 */
final class ConditionReader {
    private final Map<String, ParamSpec> space;
    private final Set<String> written;

    /**
     * @param space   every parameter of the space, those left out at their defaults included
     * @param written the parameters the file names (the others are fixed at their defaults)
     */
    ConditionReader(Map<String, ParamSpec> space, Set<String> written) {
        this.space = space;
        this.written = written;
    }

    /** The conditions of {@code conditioned} (parameter → its mapping, which holds {@code when}). */
    Map<String, Condition> read(Map<String, Section> conditioned) throws StudyFileException {
        Map<String, Condition> out = new LinkedHashMap<>();
        Map<String, Section> whens = new LinkedHashMap<>();
        Map<String, Map<String, String>> spelled = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : conditioned.entrySet()) {
            Section param = e.getValue();
            YamlNode node = param.entry("when");
            if (!(node instanceof YamlNode.Mapping m)) {
                throw param.error("when", "must be a mapping of parameter names to what they must be, like "
                        + "{optimizer: nesterovs}, got " + node.kind());
            }
            if (m.entries().isEmpty()) {
                throw param.error("when", "names no parameter; give one or more, like {optimizer: nesterovs}, or "
                        + "remove when");
            }
            Section when = Section.of(m, param.pathOf("when"));
            Map<String, String> keys = new LinkedHashMap<>();
            out.put(e.getKey(), condition(e.getKey(), when, keys));
            whens.put(e.getKey(), when);
            spelled.put(e.getKey(), keys);
        }
        noCycle(out, whens, spelled);
        return out;
    }

    /** {@code keys} gets each named parameter's key as written. */
    private Condition condition(String param, Section when, Map<String, String> keys) throws StudyFileException {
        Map<String, Condition.Allowed> requires = new LinkedHashMap<>();
        for (String key : when.keys()) {
            Hyperparameter h = Hyperparameter.parse(key).orElseThrow(() -> when.error(key, "unknown hyperparameter; "
                    + "a condition names parameters of the space: " + String.join(", ", space.keySet())));
            if (keys.containsKey(h.key())) {
                throw when.error(key, "is " + h.key() + " again; keep one");
            }
            if (h.key().equals(param)) {
                throw when.error(key, "a parameter's condition cannot name the parameter itself; name another one");
            }
            ParamSpec controller = space.get(h.key());
            if (controller == null) {
                throw when.error(key, h.key() + " is not in the space; add it to space, or take it out of this "
                        + "condition");
            }
            Condition.Allowed allowed = allowed(when, key, h);
            if (!controller.canSatisfy(allowed)) {
                throw when.error(key, h.key() + " can never be " + shown(allowed) + ": the space "
                        + shown(h, controller) + "; name a value it can take");
            }
            keys.put(h.key(), key);
            requires.put(h.key(), allowed);
        }
        return new Condition(requires);
    }

    /** A value, a list of values, or {min, max}, in the kind of {@code h}'s values. */
    private static Condition.Allowed allowed(Section when, String key, Hyperparameter h) throws StudyFileException {
        YamlNode node = when.entry(key);
        String path = when.pathOf(key);
        if (node instanceof YamlNode.Mapping) {
            Section range = Section.of(node, path);
            if (h.kind() != Hyperparameter.Kind.FLOAT && h.kind() != Hyperparameter.Kind.INT) {
                throw when.error(key, h.key() + " takes " + SpaceReader.kindName(h) + "; give one or a list of them "
                        + "(min and max are for numbers)");
            }
            range.allow("min", "max");
            OptionalDouble min = range.node("min").isPresent() ? OptionalDouble.of(range.number("min"))
                    : OptionalDouble.empty();
            OptionalDouble max = range.node("max").isPresent() ? OptionalDouble.of(range.number("max"))
                    : OptionalDouble.empty();
            if (min.isEmpty() && max.isEmpty()) {
                throw when.error(key, "give min, max or both, like {min: 1}");
            }
            if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
                throw range.error("min", "min <= max must hold, got min=" + min.getAsDouble() + ", max="
                        + max.getAsDouble());
            }
            return new Condition.Between(min, max);
        }
        if (node instanceof YamlNode.Sequence seq) {
            if (seq.items().isEmpty()) {
                throw when.error(key, "list at least one value");
            }
            List<Object> values = new ArrayList<>();
            java.util.Set<Object> seen = new java.util.HashSet<>(); // a list may hold 100,000s: no scan per value
            for (int i = 0; i < seq.items().size(); i++) {
                String at = path + "[" + i + "]";
                Object v = SpaceReader.value(seq.items().get(i), at, h);
                if (!seen.add(v)) {
                    throw StudyFileException.at(at, seq.items().get(i).line(), "value " + v + " is listed twice");
                }
                values.add(v);
            }
            return new Condition.OneOf(values);
        }
        return new Condition.OneOf(List.of(SpaceReader.value(node, path, h)));
    }

    /**
     * Refuses conditions that depend on themselves, through the declared ones and Thaw's own (a cycle always holds a
     * declared one: Thaw's own never do), at the first declared link of the cycle.
     */
    private void noCycle(Map<String, Condition> declared, Map<String, Section> whens,
                         Map<String, Map<String, String>> spelled) throws StudyFileException {
        Set<String> done = new java.util.HashSet<>();
        for (String start : space.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = cycleFrom(start, declared, path, done);
            if (!cycle.isEmpty()) {
                StringBuilder chain = new StringBuilder();
                int at = -1;
                for (int i = 0; i + 1 < cycle.size(); i++) {
                    boolean own = !declared.getOrDefault(cycle.get(i), Condition.ALWAYS).requires()
                            .containsKey(cycle.get(i + 1));
                    if (!own && at < 0) {
                        at = i;
                    }
                    chain.append(i == 0 ? "" : ", ").append(cycle.get(i)).append(i == 0 ? " depends on " : " on ")
                            .append(cycle.get(i + 1)).append(own ? " (Thaw's own condition)" : "");
                }
                String param = cycle.get(at);
                throw whens.get(param).error(spelled.get(param).get(cycle.get(at + 1)), "the conditions form a cycle: "
                        + chain + "; a parameter cannot depend on itself, so take one of them out");
            }
        }
    }

    /** A cycle reachable from {@code name} as [a, b, ..., a], or empty; {@code done} holds names seen to have none. */
    private List<String> cycleFrom(String name, Map<String, Condition> declared, List<String> path, Set<String> done) {
        if (done.contains(name)) {
            return List.of();
        }
        int seen = path.indexOf(name);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(name);
            return cycle;
        }
        path.add(name);
        for (String controller : controllers(name, declared)) {
            List<String> cycle = cycleFrom(controller, declared, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(name);
        return List.of();
    }

    private List<String> controllers(String name, Map<String, Condition> declared) {
        List<String> out = new ArrayList<>(declared.getOrDefault(name, Condition.ALWAYS).requires().keySet());
        Hyperparameter.parse(name).ifPresent(h -> h.builtInCondition().requires().keySet().stream()
                .filter(space::containsKey).filter(c -> !out.contains(c)).forEach(out::add));
        return out;
    }

    /** {@code nesterovs}, {@code any of [sgd, nesterovs]}, {@code >= 1}, {@code in [1, 3]}. */
    private static String shown(Condition.Allowed allowed) {
        return allowed instanceof Condition.OneOf o && o.values().size() > 1 ? "any of " + o : allowed.toString();
    }

    /** What the space gives {@code h}: "fixes it at adam", "gives it [adam, sgd]", "gives it 0..6 in steps of 2". */
    private String shown(Hyperparameter h, ParamSpec p) {
        if (p instanceof ParamSpec.FixedParam f) {
            return "fixes it at " + f.value() + (written.contains(h.key()) ? "" : " (its default: the space leaves it "
                    + "out)");
        }
        if (p instanceof ParamSpec.ChoiceParam c) {
            return "gives it " + c.values();
        }
        if (p instanceof ParamSpec.IntParam i) {
            return "gives it " + i.low() + ".." + i.high() + (i.step() > 1 ? " in steps of " + i.step() : "");
        }
        ParamSpec.FloatParam f = (ParamSpec.FloatParam) p;
        return "gives it [" + f.low() + ", " + f.high() + "]";
    }
}
