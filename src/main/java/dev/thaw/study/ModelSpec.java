package dev.thaw.study;

import java.nio.file.Path;

/**
 * The pretrained source model and the new head put on it.
 *
 * @param source      where the model comes from
 * @param path        the model file (a DL4J ModelSerializer zip for {@code builtin} and {@code dl4j})
 * @param hiddenUnits units of the head's hidden dense layer; 0 for none (dropout then softmax)
 */
public record ModelSpec(ModelSource source, Path path, int hiddenUnits) {
    public ModelSpec {
        if (hiddenUnits < 0) {
            throw new IllegalArgumentException("hiddenUnits must be >= 0, got " + hiddenUnits);
        }
    }

    /** How this model's inputs are scaled when the study file does not say (data.preprocess). */
    public Preprocess defaultPreprocess() {
        return Preprocess.UNIT;
    }

    /** Kinds of source model. */
    public enum ModelSource {
        /** The small CNN that {@code thaw pretrain} trains and saves. */
        BUILTIN,
        /** Any DL4J ModelSerializer zip: MultiLayerNetwork or ComputationGraph. */
        DL4J;

        public String key() {
            return Keys.of(this);
        }
    }
}
