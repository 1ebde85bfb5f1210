package dev.thaw.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * When a hyperparameter is active (a study file's {@code when:}): every named parameter must be active and hold an
 * allowed value. A parameter whose condition does not hold is inactive: it is not sampled, not stored with the trial,
 * and training uses its default. The empty condition always holds.
 *
 * @param requires parameter name → what its value must be, in the study file's order
 */
public record Condition(Map<String, Allowed> requires) {
    /** The condition that always holds. */
    public static final Condition ALWAYS = new Condition(Map.of());

    public Condition {
        requires = Collections.unmodifiableMap(new LinkedHashMap<>(requires));
    }

    /** The values a controlling parameter may take. */
    public sealed interface Allowed {
        boolean allows(Object value);
    }

    /** One of these values; numbers compare by value ({@code 1} allows {@code 1.0}). */
    public record OneOf(List<Object> values) implements Allowed {
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a when: list needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public boolean allows(Object value) {
            return values.stream().anyMatch(v -> same(v, value));
        }

        @Override
        public String toString() {
            return values.size() == 1 ? String.valueOf(values.get(0))
                    : values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** A number in [min, max]; either bound may be absent. */
    public record Between(OptionalDouble min, OptionalDouble max) implements Allowed {
        public Between {
            if (min.isEmpty() && max.isEmpty()) {
                throw new IllegalArgumentException("a when: range needs min, max or both");
            }
            if (min.isPresent() && max.isPresent() && !(min.getAsDouble() <= max.getAsDouble())) {
                throw new IllegalArgumentException("min <= max must hold, got min=" + min.getAsDouble()
                        + ", max=" + max.getAsDouble());
            }
        }

        @Override
        public boolean allows(Object value) {
            if (!(value instanceof Number n)) {
                return false;
            }
            double v = n.doubleValue();
            return (min.isEmpty() || v >= min.getAsDouble()) && (max.isEmpty() || v <= max.getAsDouble());
        }

        @Override
        public String toString() {
            if (max.isEmpty()) {
                return ">= " + plain(min.getAsDouble());
            }
            if (min.isEmpty()) {
                return "<= " + plain(max.getAsDouble());
            }
            return "in [" + plain(min.getAsDouble()) + ", " + plain(max.getAsDouble()) + "]";
        }
    }

    /**
     * Whether this condition holds for the values chosen so far ({@code values} holds active parameters only; a
     * parameter that is absent is inactive, and a condition naming it does not hold).
     */
    public boolean holds(Map<String, Object> values) {
        for (Map.Entry<String, Allowed> e : requires.entrySet()) {
            Object value = values.get(e.getKey());
            if (value == null || !e.getValue().allows(value)) {
                return false;
            }
        }
        return true;
    }

    /** Both conditions; where both name a parameter, its value must satisfy both. */
    public Condition and(Condition other) {
        Map<String, Allowed> all = new LinkedHashMap<>(requires);
        other.requires.forEach((name, allowed) -> all.merge(name, allowed, Both::new));
        return new Condition(all);
    }

    /** Two requirements on one parameter. */
    public record Both(Allowed first, Allowed second) implements Allowed {
        @Override
        public boolean allows(Object value) {
            return first.allows(value) && second.allows(value);
        }

        @Override
        public String toString() {
            return first + " and " + second;
        }
    }

    /** {@code optimizer = nesterovs, unfreeze_depth >= 1}: for messages. */
    @Override
    public String toString() {
        return requires.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue() instanceof OneOf o && o.values().size() == 1 ? " = "
                        : e.getValue() instanceof OneOf ? " in " : " ") + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a.equals(b);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
