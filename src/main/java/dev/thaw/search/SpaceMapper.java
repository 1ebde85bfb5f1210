package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.ParamSpec;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a study's space onto Arbiter parameter spaces: float → {@link ContinuousParameterSpace} (log scale through
 * {@link LogUniformDistribution}), int → {@link IntegerParameterSpace} (or the stepped values as a discrete space),
 * choice → {@link DiscreteParameterSpace}, fixed → {@link FixedValue}. A range or choice holding one value is a
 * {@link FixedValue} too: Arbiter's distributions need low &lt; high, and its grid yields no point at all when one
 * of its dimensions holds a single value.
 */
public final class SpaceMapper {

    public ParameterSpace<Assignment> map(Map<String, ParamSpec> space) {
        Map<String, ParameterSpace<?>> children = new LinkedHashMap<>();
        space.forEach((name, param) -> children.put(name, leaf(param)));
        return new AssignmentSpace(children);
    }

    static ParameterSpace<?> leaf(ParamSpec param) {
        if (param instanceof ParamSpec.FloatParam f) {
            if (f.low() == f.high()) {
                return new FixedValue<>(f.low()); // Arbiter's distributions need low < high
            }
            return f.log()
                    ? new ContinuousParameterSpace(new LogUniformDistribution(f.low(), f.high()))
                    : new ContinuousParameterSpace(f.low(), f.high());
        }
        if (param instanceof ParamSpec.IntParam i) {
            if (i.count() == 1) {
                return new FixedValue<>(i.low()); // Arbiter's grid has no point on a one-value integer space
            }
            if (i.step() == 1) {
                return new IntegerParameterSpace(i.low(), i.high());
            }
            List<Integer> values = new ArrayList<>();
            for (long k = 0; k < i.count(); k++) { // the reader bounds a stepped range's count
                values.add(i.value(k));
            }
            return new DiscreteParameterSpace<>(values);
        }
        if (param instanceof ParamSpec.ChoiceParam c) {
            return c.values().size() == 1 ? new FixedValue<>(c.values().get(0)) : new DiscreteParameterSpace<>(c.values());
        }
        return new FixedValue<>(((ParamSpec.FixedParam) param).value());
    }
}
