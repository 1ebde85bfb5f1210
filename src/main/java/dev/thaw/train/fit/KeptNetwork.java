package dev.thaw.train.fit;

import dev.thaw.train.source.Network;

import java.io.IOException;
import java.nio.file.Path;

/** A trial's trained DL4J network, as the run keeps it: saved as a ModelSerializer zip. */
public record KeptNetwork(Network network) implements TrainedModel {
    @Override
    public void save(Path zip) throws IOException {
        network.save(zip);
    }
}
