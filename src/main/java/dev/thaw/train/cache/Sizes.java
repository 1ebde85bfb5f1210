package dev.thaw.train.cache;

import java.util.Locale;

/**
 * Sizes of cache entries as people read them, in powers of 1000 as {@code cache.max_gb} counts: one definition for
 * the trial lines and {@code thaw cache}, so a run and the listing give an entry the same size.
 */
public final class Sizes {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private Sizes() {
    }

    /**
     * {@code bytes} for a person: "812 B" below 1000, else one decimal in the largest unit that keeps it below 1000
     * after rounding: "23.4 kB", "37.2 MB", "10.0 GB".
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes >= 0 must hold, got " + bytes);
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
