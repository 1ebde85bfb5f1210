package dev.thaw.study;

import java.util.List;
import java.util.Optional;

/** How one hyperparameter is chosen: searched over a float or integer range or a list, or fixed. */
public sealed interface ParamSpec {

    /**
     * Whether some value this parameter can take is allowed by {@code allowed}; false when a condition that requires
     * it ({@link Condition}) can never hold. A range counts every value in it: a float range [0.5, 0.99] can be 0.7.
     */
    default boolean canSatisfy(Condition.Allowed allowed) {
        if (this instanceof FixedParam f) {
            return allowed.allows(f.value());
        }
        if (this instanceof ChoiceParam c) {
            return c.values().stream().anyMatch(allowed::allows);
        }
        Optional<List<Object>> listed = listed(allowed);
        if (listed.isPresent()) {
            return listed.get().stream().anyMatch(v -> inRange(v) && allowed.allows(v));
        }
        double[] bounds = bounds(allowed);
        if (this instanceof FloatParam f) {
            return Math.max(bounds[0], f.low()) <= Math.min(bounds[1], f.high());
        }
        IntParam i = (IntParam) this;
        double from = Math.max(bounds[0], i.low());
        double first = i.low() + Math.ceil((from - i.low()) / i.step()) * i.step();
        return first <= Math.min(bounds[1], i.high());
    }

    /** For a float or int range: whether {@code value} is one of its values. */
    private boolean inRange(Object value) {
        if (!(value instanceof Number n)) {
            return false;
        }
        double v = n.doubleValue();
        if (this instanceof FloatParam f) {
            return v >= f.low() && v <= f.high();
        }
        IntParam i = (IntParam) this;
        return v == Math.rint(v) && v >= i.low() && v <= i.high() && ((long) v - i.low()) % i.step() == 0;
    }

    /** The values {@code allowed} lists, when it lists them (a value, or a range together with a list). */
    private static Optional<List<Object>> listed(Condition.Allowed allowed) {
        if (allowed instanceof Condition.OneOf o) {
            return Optional.of(o.values());
        }
        if (allowed instanceof Condition.Both b) {
            return listed(b.first()).or(() -> listed(b.second()));
        }
        return Optional.empty();
    }

    /** [min, max] of a range, or of ranges that must all hold (infinite where open). */
    private static double[] bounds(Condition.Allowed allowed) {
        if (allowed instanceof Condition.Between b) {
            return new double[]{b.min().orElse(Double.NEGATIVE_INFINITY), b.max().orElse(Double.POSITIVE_INFINITY)};
        }
        Condition.Both both = (Condition.Both) allowed;
        double[] a = bounds(both.first());
        double[] b = bounds(both.second());
        return new double[]{Math.max(a[0], b[0]), Math.min(a[1], b[1])};
    }

    /** Uniform (or, with {@code log}, log-uniform) over [low, high]. */
    record FloatParam(double low, double high, boolean log) implements ParamSpec {
        public FloatParam {
            if (!(low <= high)) {
                throw new IllegalArgumentException("low <= high must hold, got low=" + low + ", high=" + high);
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException("low must be > 0 for a log scale, got low=" + low);
            }
        }

        /**
         * {@code v} held within [low, high]: a log-scale draw, {@code exp(log(high))}, can land an ulp past
         * {@code high}, and a grid's last point past it by rounding.
         */
        public double clamp(double v) {
            return Math.min(high, Math.max(low, v));
        }
    }

    /** Integers low, low+step, ... up to high. */
    record IntParam(int low, int high, int step) implements ParamSpec {
        public IntParam {
            if (low > high) {
                throw new IllegalArgumentException("low <= high must hold, got low=" + low + ", high=" + high);
            }
            if (step < 1) {
                throw new IllegalArgumentException("step must be >= 1, got " + step);
            }
        }

        /** How many values the range holds: low, low+step, ... (counted in long, so wide ranges do not overflow). */
        public long count() {
            return ((long) high - low) / step + 1;
        }

        /** The k-th value, 0 <= k < count(). */
        public int value(long k) {
            return (int) (low + k * step);
        }
    }

    /** One of a list of values (numbers or strings). */
    record ChoiceParam(List<Object> values) implements ParamSpec {
        public ChoiceParam {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
            values = List.copyOf(values);
        }
    }

    /** Not searched: always this value. */
    record FixedParam(Object value) implements ParamSpec {
    }
}
