package dev.thaw.study;

import java.time.Duration;
import java.util.Optional;

/**
 * How candidates are generated and when the study stops.
 *
 * @param gridPoints for grid search, how many points a float range (or a wide integer range) is cut into
 */
public record SearchSpec(Algorithm algorithm, int trials, long seed, Optional<Duration> maxTime, int gridPoints) {
    public SearchSpec {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        if (gridPoints < 2) {
            throw new IllegalArgumentException("gridPoints must be >= 2, got " + gridPoints);
        }
    }

    /** Arbiter's candidate generators. */
    public enum Algorithm {
        RANDOM, GRID, GENETIC;

        public String key() {
            return Keys.of(this);
        }
    }
}
