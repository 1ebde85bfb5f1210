package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Condition;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.StudySpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a sampler searches: the study's parameters with the conditions under which each is active, which are the
 * study file's {@code when:} and Thaw's own ({@link Hyperparameter#builtInCondition()}), both of which must hold.
 * {@link #order()} lists the parameters so that each comes after those its condition names, the order in which a
 * sampler chooses values and decides activity.
 */
public final class SearchSpace {
    private final Map<String, ParamSpec> params;
    private final Map<String, Condition> conditions;
    private final Map<String, Condition> builtIn;
    private final List<String> order;

    /**
     * @param params   name → range, in the study file's order
     * @param declared the study file's conditions (a name absent: no declared condition)
     * @throws IllegalArgumentException when a condition names a parameter outside the space, or conditions form a cycle
     */
    public SearchSpace(Map<String, ParamSpec> params, Map<String, Condition> declared) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Map<String, Condition> all = new LinkedHashMap<>();
        Map<String, Condition> own = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            Condition builtInCondition = Hyperparameter.parse(name).map(Hyperparameter::builtInCondition)
                    .orElse(Condition.ALWAYS);
            Condition c = declared.getOrDefault(name, Condition.ALWAYS).and(builtInCondition);
            if (!builtInCondition.requires().isEmpty()) {
                own.put(name, builtInCondition);
            }
            if (!c.requires().isEmpty()) {
                for (String controller : c.requires().keySet()) {
                    if (!params.containsKey(controller)) {
                        throw new IllegalArgumentException("the condition on '" + name + "' names '" + controller
                                + "', which is not in the space");
                    }
                }
                all.put(name, c);
            }
        }
        this.conditions = Collections.unmodifiableMap(all);
        this.builtIn = Collections.unmodifiableMap(own);
        this.order = List.copyOf(topological());
    }

    /** The space of a study: its parameters and declared conditions. */
    public static SearchSpace of(StudySpec spec) {
        return new SearchSpace(spec.space(), spec.when());
    }

    /** An unconditional space. */
    public static SearchSpace of(Map<String, ParamSpec> params) {
        return new SearchSpace(params, Map.of());
    }

    public Map<String, ParamSpec> params() {
        return params;
    }

    /** The parameters in an order where each follows those its condition names (else the study file's order). */
    public List<String> order() {
        return order;
    }

    /** The condition under which {@code name} is active ({@link Condition#ALWAYS} for an unconditional one). */
    public Condition condition(String name) {
        return conditions.getOrDefault(name, Condition.ALWAYS);
    }

    /** Thaw's own condition on {@code name}, when it has one and the parameter is in this space (for validate). */
    public Optional<Condition> builtInCondition(String name) {
        return Optional.ofNullable(builtIn.get(name));
    }

    /** Whether {@code name} has any condition. */
    public boolean conditional(String name) {
        return conditions.containsKey(name);
    }

    /** Whether {@code name} is active given the active values chosen so far. */
    public boolean active(String name, Map<String, Object> chosen) {
        return condition(name).holds(chosen);
    }

    /**
     * {@code full} with its inactive parameters removed, deciding activity in {@link #order()} (a parameter that only
     * an inactive one enables is inactive too); kept values stay in the study file's order.
     */
    public Assignment activePart(Assignment full) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (String name : order) {
            Object value = full.values().get(name);
            if (value != null && active(name, chosen)) {
                chosen.put(name, value);
            }
        }
        return inStudyOrder(chosen);
    }

    /**
     * A generator's candidate as a proposal: each value held within its declared range ({@link
     * ParamSpec.FloatParam#clamp}; an int at most the range's last point), then {@link #activePart}.
     */
    public Assignment proposal(Assignment candidate) {
        Map<String, Object> held = new LinkedHashMap<>();
        candidate.values().forEach((name, value) -> held.put(name, within(params.get(name), value)));
        return activePart(new Assignment(held));
    }

    private static Object within(ParamSpec param, Object value) {
        if (param instanceof ParamSpec.FloatParam f && value instanceof Number n) {
            return f.clamp(n.doubleValue());
        }
        if (param instanceof ParamSpec.IntParam i && value instanceof Number n) {
            return (int) Math.min(i.value(i.count() - 1), Math.max(i.low(), n.longValue()));
        }
        return value;
    }

    /** {@code chosen} (active values, in any order) as an assignment in the study file's order. */
    public Assignment inStudyOrder(Map<String, Object> chosen) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        params.keySet().forEach(name -> {
            if (chosen.containsKey(name)) {
                ordered.put(name, chosen.get(name));
            }
        });
        return new Assignment(ordered);
    }

    private List<String> topological() {
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String name : params.keySet()) {
            visit(name, done, visiting, out);
        }
        return out;
    }

    private void visit(String name, Set<String> done, Set<String> visiting, List<String> out) {
        if (done.contains(name)) {
            return;
        }
        if (!visiting.add(name)) {
            throw new IllegalArgumentException("the conditions on " + String.join(" → ", visiting) + " → " + name
                    + " form a cycle; a parameter cannot depend on itself");
        }
        for (String controller : condition(name).requires().keySet()) {
            visit(controller, done, visiting, out);
        }
        visiting.remove(name);
        done.add(name);
        out.add(name);
    }
}
