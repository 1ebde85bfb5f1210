package dev.thaw.study;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cache block's value: its folder, its size in bytes, and what it refuses. */
class CacheSpecTest {
    @Test
    void theDefaultIsAutoUnderTheOutputFolderAtMostTenGb() {
        assertEquals(new CacheSpec(CacheSpec.Features.AUTO, Optional.empty(), 10.0), CacheSpec.DEFAULT);
        assertEquals(Path.of("results/cache"), CacheSpec.DEFAULT.dir(Path.of("results")));
        assertEquals(10_000_000_000L, CacheSpec.DEFAULT.maxBytes());
        assertEquals("auto", CacheSpec.Features.AUTO.key());
        assertEquals("off", CacheSpec.Features.OFF.key());
    }

    @Test
    void aGivenFolderIsUsedWhateverTheOutputFolder() {
        CacheSpec shared = new CacheSpec(CacheSpec.Features.AUTO, Optional.of(Path.of("/scratch/thaw")), 1);
        assertEquals(Path.of("/scratch/thaw"), shared.dir(Path.of("results")));
        assertEquals(Path.of("/scratch/thaw"), shared.dir(Path.of("elsewhere")));
    }

    @Test
    void maxBytesRoundsDownAndStopsAtTheLargestLong() {
        assertEquals(500_000_000L, new CacheSpec(CacheSpec.Features.AUTO, Optional.empty(), 0.5).maxBytes());
        assertEquals(0L, new CacheSpec(CacheSpec.Features.AUTO, Optional.empty(), 1e-12).maxBytes());
        assertEquals(Long.MAX_VALUE, new CacheSpec(CacheSpec.Features.AUTO, Optional.empty(), 1e300).maxBytes());
        assertEquals(Long.MAX_VALUE, new CacheSpec(CacheSpec.Features.OFF, Optional.empty(), Double.MAX_VALUE)
                .maxBytes());
    }

    @Test
    void refusesASizeThatIsNotAFiniteNumberAboveZeroAndMissingParts() {
        for (double bad : List.of(0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CacheSpec(CacheSpec.Features.AUTO, Optional.empty(), bad));
            assertEquals("max_gb must be a finite number > 0, got " + bad, e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new CacheSpec(null, Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new CacheSpec(CacheSpec.Features.AUTO, null, 1));
    }
}
