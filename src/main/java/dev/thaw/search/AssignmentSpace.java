package dev.thaw.search;

import dev.thaw.study.Assignment;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An Arbiter parameter space whose value is an {@link Assignment}: one named child space per hyperparameter. */
final class AssignmentSpace implements ParameterSpace<Assignment> {
    private final Map<String, ParameterSpace<?>> children;

    AssignmentSpace(Map<String, ParameterSpace<?>> children) {
        this.children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    @Override
    public Assignment getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        children.forEach((name, space) -> values.put(name, space.getValue(parameterValues)));
        return new Assignment(values);
    }

    @Override
    public int numParameters() {
        return children.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> child : children.values()) {
            leaves.addAll(child.collectLeaves());
        }
        return leaves;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Collections.unmodifiableMap(children);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("AssignmentSpace is not a leaf; Arbiter indexes its children");
    }
}
