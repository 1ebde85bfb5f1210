package dev.thaw.study;

import java.util.List;

/** How one hyperparameter is chosen: searched over a float or integer range or a list, or fixed. */
public sealed interface ParamSpec {

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
