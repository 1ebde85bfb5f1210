package dev.thaw.train.cache;

/**
 * What {@link FeatureStore#clear()} did.
 *
 * @param entries  entry files deleted
 * @param partial  temporary files of builds that died (killed processes) deleted
 * @param bytes    the bytes those files held
 * @param skipped  keys left alone because a builder holds their lock right now (their files stay)
 */
public record Cleared(int entries, int partial, long bytes, int skipped) {
    public Cleared {
        if (entries < 0 || partial < 0 || bytes < 0 || skipped < 0) {
            throw new IllegalArgumentException("counts >= 0 must hold, got entries=" + entries + ", partial="
                    + partial + ", bytes=" + bytes + ", skipped=" + skipped);
        }
    }
}
