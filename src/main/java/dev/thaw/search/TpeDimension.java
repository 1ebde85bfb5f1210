package dev.thaw.search;

import dev.thaw.study.ParamSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One parameter as TPE models it, on an internal axis: a float's value (its natural log on a log scale) over
 * [low, high]; an integer's value over [low - step/2, last + step/2], where {@code last} is the range's last point
 * on the step grid; a choice's index among its values. A parameter with a single possible value (fixed, a one-value
 * choice, {@code low = high}) is {@link Kind#CONSTANT} and not modelled. The log scale uses {@link StrictMath}, whose
 * results are the same on every JVM.
 */
final class TpeDimension {
    enum Kind { CONTINUOUS, STEPPED, CATEGORICAL, CONSTANT }

    final Kind kind;
    /** The estimators' interval on the internal axis (CONTINUOUS and STEPPED). */
    final double low;
    final double high;
    /** The grid's spacing (STEPPED), else 0. */
    final double step;
    private final ParamSpec spec;
    private final Object constant;
    private final Map<Object, Integer> index = new HashMap<>();

    private TpeDimension(ParamSpec spec, Kind kind, double low, double high, double step, Object constant) {
        this.spec = spec;
        this.kind = kind;
        this.low = low;
        this.high = high;
        this.step = step;
        this.constant = constant;
        if (spec instanceof ParamSpec.ChoiceParam c) {
            for (int i = c.values().size() - 1; i >= 0; i--) {
                index.put(c.values().get(i), i); // the first of equal values wins
            }
        }
    }

    static TpeDimension of(ParamSpec spec) {
        if (spec instanceof ParamSpec.FloatParam f) {
            double low = f.log() ? StrictMath.log(f.low()) : f.low();
            double high = f.log() ? StrictMath.log(f.high()) : f.high();
            return low < high ? new TpeDimension(spec, Kind.CONTINUOUS, low, high, 0, null)
                    : new TpeDimension(spec, Kind.CONSTANT, 0, 0, 0, f.low());
        }
        if (spec instanceof ParamSpec.IntParam i) {
            double half = 0.5 * i.step();
            return i.count() > 1
                    ? new TpeDimension(spec, Kind.STEPPED, i.low() - half, i.value(i.count() - 1) + half, i.step(), null)
                    : new TpeDimension(spec, Kind.CONSTANT, 0, 0, 0, i.low());
        }
        if (spec instanceof ParamSpec.ChoiceParam c) {
            return c.values().size() > 1 ? new TpeDimension(spec, Kind.CATEGORICAL, 0, 0, 0, null)
                    : new TpeDimension(spec, Kind.CONSTANT, 0, 0, 0, c.values().get(0));
        }
        return new TpeDimension(spec, Kind.CONSTANT, 0, 0, 0, ((ParamSpec.FixedParam) spec).value());
    }

    /** The one value of a CONSTANT parameter. */
    Object constant() {
        return constant;
    }

    /** How many values a CATEGORICAL parameter has. */
    int categories() {
        return ((ParamSpec.ChoiceParam) spec).values().size();
    }

    /**
     * A stored value on the internal axis, or NaN when it cannot be one of this parameter's values (not a number
     * for a number range, not among a choice's values). Numbers outside the range (the space changed since) are
     * clamped into it; integers go to the nearest grid point.
     */
    double internal(Object value) {
        switch (kind) {
            case CONTINUOUS -> {
                ParamSpec.FloatParam f = (ParamSpec.FloatParam) spec;
                if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
                    return Double.NaN;
                }
                double v = f.clamp(n.doubleValue());
                return (f.log() ? StrictMath.log(v) : v) + 0.0; // + 0.0: no negative zero
            }
            case STEPPED -> {
                if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
                    return Double.NaN;
                }
                return gridValue(n.doubleValue());
            }
            case CATEGORICAL -> {
                Integer i = index.get(value);
                if (i == null && value instanceof Number n) {
                    i = numericIndex(n.doubleValue());
                }
                return i == null ? Double.NaN : i;
            }
            default -> {
                return Double.NaN;
            }
        }
    }

    /** A STEPPED internal value moved to the nearest grid point within the range. */
    double snap(double internal) {
        return gridValue(internal);
    }

    /** The value an internal one stands for, within the declared range exactly: Double, Integer or the choice's. */
    Object external(double internal) {
        return switch (kind) {
            case CONTINUOUS -> {
                ParamSpec.FloatParam f = (ParamSpec.FloatParam) spec;
                double v = f.log() ? StrictMath.exp(internal) : internal;
                yield f.clamp(v);
            }
            case STEPPED -> {
                ParamSpec.IntParam i = (ParamSpec.IntParam) spec;
                yield i.value(gridIndex(internal));
            }
            case CATEGORICAL -> ((ParamSpec.ChoiceParam) spec).values().get((int) internal);
            case CONSTANT -> constant;
        };
    }

    /** A value drawn uniformly: over the (log-)range, over the grid points, over the choices; a constant's value. */
    Object random(RandomGenerator random) {
        return switch (kind) {
            case CONTINUOUS -> external(low + (high - low) * random.nextDouble());
            case STEPPED -> ((ParamSpec.IntParam) spec).value(random.nextLong(((ParamSpec.IntParam) spec).count()));
            case CATEGORICAL -> ((ParamSpec.ChoiceParam) spec).values().get(random.nextInt(categories()));
            case CONSTANT -> constant;
        };
    }

    private double gridValue(double v) {
        ParamSpec.IntParam i = (ParamSpec.IntParam) spec;
        return i.value(gridIndex(v));
    }

    private long gridIndex(double v) {
        ParamSpec.IntParam i = (ParamSpec.IntParam) spec;
        double k = Math.rint((v - i.low()) / i.step());
        return (long) Math.min(i.count() - 1, Math.max(0, k));
    }

    private Integer numericIndex(double v) {
        List<Object> values = ((ParamSpec.ChoiceParam) spec).values();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof Number n && n.doubleValue() == v) {
                return i;
            }
        }
        return null;
    }
}
