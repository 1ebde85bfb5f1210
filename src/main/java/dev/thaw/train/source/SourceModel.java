package dev.thaw.train.source;

import dev.thaw.train.data.ModelInput;

import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.util.Optional;

/**
 * A study's source model, loaded once per study per process (a file read, a Keras import or a zoo build with its
 * weights) and handed out as a fresh deep copy to each user that changes it: the environment check's trial build,
 * and every trial. Thread-safe: copies are taken under the lock, the loaded network itself is never trained.
 */
public final class SourceModel {
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
