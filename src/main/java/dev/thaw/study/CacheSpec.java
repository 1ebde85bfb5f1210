package dev.thaw.study;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The study file's {@code cache} block: whether trials train on frozen-backbone activations computed once and kept,
 * where those are kept, and how much disk they may take. Not part of a study's identity: the cache changes how fast
 * trials run, not what they compute.
 *
 * @param features AUTO: trials that qualify (the frozen part's output depends on the image alone) use the cache;
 *                 OFF: every trial computes its whole network
 * @param dir      the folder of the cache's files; empty: {@code cache} under the study's output folder
 * @param maxGb    the most the folder may hold, in GB (10^9 bytes); finite and &gt; 0
 */
public record CacheSpec(Features features, Optional<Path> dir, double maxGb) {
    /** The default: features auto, in output.dir/cache, at most 10 GB. */
    public static final CacheSpec DEFAULT = new CacheSpec(Features.AUTO, Optional.empty(), 10.0);

    /** Bytes in a GB, as {@code max_gb} counts them. */
    public static final double BYTES_PER_GB = 1e9;

    /** Whether trials use the cache. */
    public enum Features {
        AUTO, OFF;

        public String key() {
            return Keys.of(this);
        }
    }

    /** @throws IllegalArgumentException when features or dir is null, or maxGb is not a finite number &gt; 0 */
    public CacheSpec {
        if (features == null || dir == null) {
            throw new IllegalArgumentException("a cache needs features and dir (Optional.empty() for the default)");
        }
        if (!(maxGb > 0 && Double.isFinite(maxGb))) {
            throw new IllegalArgumentException("max_gb must be a finite number > 0, got " + maxGb);
        }
    }

    /** The cache's folder: {@link #dir} when given, else {@code outputDir/cache}. */
    public Path dir(Path outputDir) {
        return dir.orElseGet(() -> Objects.requireNonNull(outputDir, "outputDir").resolve("cache"));
    }

    /**
     * A number of GB as a study file would write it: "10", "2.5", "0.0002", "-1"; in scientific notation ("1E+300",
     * "1E-12") only where the plain form would be longer than 12 characters; NaN and infinities as Java writes them.
     */
    public static String gb(double gb) {
        if (!Double.isFinite(gb)) {
            return String.valueOf(gb);
        }
        BigDecimal value = BigDecimal.valueOf(gb).stripTrailingZeros();
        String plain = value.toPlainString();
        return plain.length() <= 12 ? plain : value.toString();
    }

    /** {@link #maxGb} in bytes, rounded down; Long.MAX_VALUE when it is more. */
    public long maxBytes() {
        return (long) (maxGb * BYTES_PER_GB); // a double beyond the long range converts to Long.MAX_VALUE
    }
}
