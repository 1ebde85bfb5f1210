package dev.thaw.store;

import java.nio.file.Path;

/** A trial's checkpoint as recorded: the folder that holds it (absolute) and the epoch it holds. */
public record Checkpoint(Path dir, int epoch) {
}
