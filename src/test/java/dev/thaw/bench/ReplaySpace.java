package dev.thaw.bench;

import dev.thaw.search.SearchSpace;
import dev.thaw.study.Assignment;
import dev.thaw.study.ParamSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The continuous space the replayed methods search, and how a proposal in it becomes a recorded configuration of the
 * table. {@code scripts/bench/optuna_replay.py} holds the same space and the same rule; the benchmark checks that
 * both snap every Optuna proposal to the same configuration.
 *
 * <p>The rule: the configuration at the least distance, where each categorical parameter that differs
 * (batch_size, optimizer, unfreeze_depth) adds {@link #MISMATCH}, learning_rate adds its difference in log scale and
 * dropout its linear difference, each divided by the width of its range. The continuous part is at most 2, so on a
 * table with every categorical combination the categorical parameters always match; on a full grid the rule takes
 * the nearest recorded value of each parameter. A tie goes to the configuration first in the table.
 */
public final class ReplaySpace {
    static final double LR_LOW = 1e-4;
    static final double LR_HIGH = 1e-1;
    static final double DROPOUT_HIGH = 0.5;
    static final double MISMATCH = 3;

    private final GridTable table;

    public ReplaySpace(GridTable table) {
        this.table = table;
    }

    /** The space: learning_rate float log [1e-4, 1e-1], batch_size {16, 64}, dropout float [0, 0.5], optimizer
     * {sgd, nesterovs, adam}, unfreeze_depth int [0, 3]. */
    public static SearchSpace space() {
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        params.put("learning_rate", new ParamSpec.FloatParam(LR_LOW, LR_HIGH, true));
        params.put("batch_size", new ParamSpec.ChoiceParam(List.of(16, 64)));
        params.put("dropout", new ParamSpec.FloatParam(0, DROPOUT_HIGH, false));
        params.put("optimizer", new ParamSpec.ChoiceParam(List.of("sgd", "nesterovs", "adam")));
        params.put("unfreeze_depth", new ParamSpec.IntParam(0, 3, 1));
        return SearchSpace.of(params);
    }

    /** The recorded configuration nearest to {@code proposal} (which holds the five parameters). */
    public GridTable.Config snap(Assignment proposal) {
        Map<String, Object> v = proposal.values();
        return snap(((Number) v.get("learning_rate")).doubleValue(), ((Number) v.get("batch_size")).intValue(),
                ((Number) v.get("dropout")).doubleValue(), (String) v.get("optimizer"),
                ((Number) v.get("unfreeze_depth")).intValue());
    }

    /** The recorded configuration nearest to these values. */
    public GridTable.Config snap(double learningRate, int batchSize, double dropout, String optimizer,
                                 int unfreezeDepth) {
        GridTable.Config nearest = null;
        double least = Double.POSITIVE_INFINITY;
        for (GridTable.Config c : table.configs()) {
            double d = Math.abs(Math.log(learningRate) - Math.log(c.learningRate())) / Math.log(LR_HIGH / LR_LOW)
                    + Math.abs(dropout - c.dropout()) / DROPOUT_HIGH
                    + (batchSize == c.batchSize() ? 0 : MISMATCH)
                    + (optimizer.equals(c.optimizer()) ? 0 : MISMATCH)
                    + (unfreezeDepth == c.unfreezeDepth() ? 0 : MISMATCH);
            if (d < least) {
                least = d;
                nearest = c;
            }
        }
        return nearest;
    }
}
