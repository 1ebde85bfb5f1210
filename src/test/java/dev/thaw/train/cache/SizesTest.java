package dev.thaw.train.cache;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Entry sizes as the trial lines and {@code thaw cache} show them: powers of 1000, one decimal, bytes below 1 kB. */
class SizesTest {
    @Test
    void sizesReadAsAPersonWouldWriteThem() {
        assertEquals("0 B", Sizes.human(0));
        assertEquals("999 B", Sizes.human(999));
        assertEquals("1.0 kB", Sizes.human(1_000));
        assertEquals("23.4 kB", Sizes.human(23_424)); // a small head-only entry: not "0.0 MB"
        assertEquals("999.9 kB", Sizes.human(999_949));
        assertEquals("1.0 MB", Sizes.human(999_999));
        assertEquals("37.2 MB", Sizes.human(37_200_320));
        assertEquals("10.0 GB", Sizes.human(10_000_000_000L));
        assertEquals("9.2 EB", Sizes.human(Long.MAX_VALUE));
    }

    @Test
    void aNegativeSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.human(-1));
        assertEquals("bytes >= 0 must hold, got -1", e.getMessage());
    }
}
