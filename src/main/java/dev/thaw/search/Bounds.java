package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.ParamSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds every proposed value inside its declared range exactly: a log-scale draw, {@code exp(log(high))}, can land
 * an ulp past {@code high}, and a grid's last point past it by rounding.
 */
final class Bounds {
    private Bounds() {
    }

    static Assignment clamp(SearchSpace space, Assignment a) {
        Map<String, Object> out = new LinkedHashMap<>();
        a.values().forEach((name, value) -> out.put(name, clamp(space.params().get(name), value)));
        return new Assignment(out);
    }

    static Object clamp(ParamSpec param, Object value) {
        if (param instanceof ParamSpec.FloatParam f && value instanceof Number n) {
            return Math.min(f.high(), Math.max(f.low(), n.doubleValue()));
        }
        if (param instanceof ParamSpec.IntParam i && value instanceof Number n) {
            return (int) Math.min(i.value(i.count() - 1), Math.max(i.low(), n.longValue()));
        }
        return value;
    }
}
