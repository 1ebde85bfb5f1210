package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PrunerSpec;

/** Builds the pruner a study file names. */
public final class PrunerFactory {

    /**
     * @param spec      the study's {@code pruner} block
     * @param direction whether a larger objective is better
     * @param epochs    the study's epochs per trial: the last rung lies below it
     */
    public Pruner create(PrunerSpec spec, Direction direction, int epochs) {
        return switch (spec.type()) {
            case NONE -> new NopPruner();
            case MEDIAN -> new MedianPruner(spec.warmupEpochs(), spec.startupTrials(), direction);
            case ASHA -> new AshaPruner(spec.rungs(epochs, 0), spec.reductionFactor(), spec.mode(), direction);
            case HYPERBAND -> new HyperbandPruner(spec, direction, epochs);
        };
    }
}
