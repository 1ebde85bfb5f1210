package dev.thaw.train.source;

import dev.thaw.train.data.TargetData;

import dev.thaw.train.data.ModelInput;

import dev.thaw.study.ModelSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.train.source.BatchNormStatistics;

import java.io.IOException;
import java.util.Optional;

/**
 * A study's source model, loaded once per study per process (a file read, a Keras import or a zoo build with its
 * weights) and handed out as a fresh deep copy to each user that changes it: the environment check's trial build,
 * and every trial. Thread-safe: copies are taken under the lock, the loaded network itself is never trained (a random
 * zoo model's batch-norm statistics are set once, before the first copy for a trial: {@link #adaptBatchNorms}).
 */
public final class SourceModel {
    /** Images per forward pass when batch-norm statistics are estimated. */
    public static final int BATCH_NORM_BATCH = 32;

    private final Network network;
    private final Optional<ModelInput> input;
    private String fingerprint;

    private SourceModel(Network network) {
        this.network = network;
        this.input = SourceModels.input(network);
    }

    /**
     * Loads the study's source model at its {@code data.image_size}.
     *
     * @throws IOException the file is missing or unreadable, or the zoo weights cannot be had
     */
    public static SourceModel load(StudySpec spec) throws IOException {
        return new SourceModel(SourceModels.load(spec.model(), spec.data().imageSize(), spec.seed()));
    }

    /**
     * Estimates the batch norms' running statistics of a zoo model with random weights on {@code data}'s training
     * images (the first split's), seeded with the study seed ({@link BatchNormStatistics}): its initial ones (mean 0,
     * variance 1) leave a frozen batch norm passing its input on unscaled, and ResNet50's activations then overflow
     * float32 before its last block. Other models keep the statistics of the data they were trained on. Empty when
     * nothing was estimated. Call it before the first copy for a trial; a second call on the same data changes nothing.
     */
    public synchronized Optional<BatchNormStatistics.Estimate> adaptBatchNorms(StudySpec spec, TargetData data) {
        if (spec.model().source() != ModelSpec.ModelSource.ZOO || spec.model().weights() != ModelSpec.ZooWeights.NONE) {
            return Optional.empty();
        }
        var images = data.train().getFeatures();
        fingerprint = null; // the statistics are part of what the fingerprint covers
        return Optional.of(network.isGraph()
                ? BatchNormStatistics.estimate(network.graph(), images, BATCH_NORM_BATCH, spec.seed())
                : BatchNormStatistics.estimate(network.layers(), images, BATCH_NORM_BATCH, spec.seed()));
    }

    /** A deep copy (parameters and configuration) of the loaded network, for one user to change. */
    public synchronized Network fresh() {
        return network.copy();
    }

    /**
     * A hash of exactly this network: its configuration (JSON) and every parameter, as {@code sha256:} and 32 hex
     * digits. Computed once (a pass over the parameters: about a third of a second for ResNet50's 25 million).
     */
    public synchronized String fingerprint() {
        if (fingerprint == null) {
            fingerprint = network.fingerprint();
        }
        return fingerprint;
    }

    /** The images the model takes (channels, channels last), when its first layer says. */
    public Optional<ModelInput> input() {
        return input;
    }
}
