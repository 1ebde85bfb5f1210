package dev.thaw.train.fit;

import java.io.IOException;
import java.nio.file.Path;

/** A fine-tuned model that can be written as a DL4J ModelSerializer zip. */
public interface TrainedModel {
    void save(Path zip) throws IOException;
}
