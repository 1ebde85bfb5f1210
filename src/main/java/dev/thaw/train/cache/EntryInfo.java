package dev.thaw.train.cache;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry on disk, as {@code thaw cache} lists it.
 *
 * @param images  the number of examples in the table
 * @param bytes   the size of its file, header included
 * @param lastUse when it was last written or opened (its file's modification time)
 */
public record EntryInfo(FeatureKey key, int images, long bytes, Instant lastUse) {
    public EntryInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastUse, "lastUse");
    }
}
