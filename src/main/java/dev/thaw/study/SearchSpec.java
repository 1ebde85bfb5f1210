package dev.thaw.study;

import java.time.Duration;
import java.util.Optional;

/**
 * How candidates are generated and when the study stops.
 *
 * @param gridPoints for grid search, how many points a float range (or a wide integer range) is cut into
 * @param tpe        the settings of {@code algorithm: tpe} (ignored by the others)
 */
public record SearchSpec(Algorithm algorithm, int trials, long seed, Optional<Duration> maxTime, int gridPoints,
                         TpeOptions tpe) {
    public SearchSpec {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        if (gridPoints < 2) {
            throw new IllegalArgumentException("gridPoints must be >= 2, got " + gridPoints);
        }
        java.util.Objects.requireNonNull(tpe, "tpe");
    }

    /** A search with TPE's default settings. */
    public SearchSpec(Algorithm algorithm, int trials, long seed, Optional<Duration> maxTime, int gridPoints) {
        this(algorithm, trials, seed, maxTime, gridPoints, TpeOptions.DEFAULT);
    }

    /** The same search with another budget. */
    public SearchSpec withTrials(int n) {
        return new SearchSpec(algorithm, n, seed, maxTime, gridPoints, tpe);
    }

    /**
     * The samplers: Arbiter's random, grid and genetic candidate generators, and Thaw's Tree-structured Parzen
     * Estimator.
     */
    public enum Algorithm {
        RANDOM, GRID, GENETIC, TPE;

        public String key() {
            return Keys.of(this);
        }
    }

    /**
     * The Tree-structured Parzen Estimator's settings (Bergstra et al., "Algorithms for Hyper-Parameter
     * Optimization", NeurIPS 2011; defaults as Optuna's TPESampler).
     *
     * @param startupTrials scored trials proposed at random before the estimator takes over (default 10)
     * @param gamma         the fraction of scored trials taken as good (default 0.1, at most 25 trials, at least 1)
     * @param candidates    proposals drawn from the good density and ranked by the density ratio (default 24, at most
     *                      {@value #MAX_CANDIDATES})
     * @param multivariate  model the parameters that are always active jointly rather than one by one
     */
    public record TpeOptions(int startupTrials, double gamma, int candidates, boolean multivariate) {
        public static final TpeOptions DEFAULT = new TpeOptions(10, 0.1, 24, false);
        /**
         * The most candidates a proposal ranks: each costs a density ratio per parameter over every observed trial,
         * and the driver proposes on its own thread, so a count far beyond this stalls the study (10^9 ran out of
         * memory) without searching better.
         */
        public static final int MAX_CANDIDATES = 10_000;

        public TpeOptions {
            if (startupTrials < 0) {
                throw new IllegalArgumentException("startup_trials must be >= 0, got " + startupTrials);
            }
            if (!(gamma > 0 && gamma < 1)) {
                throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
            }
            if (candidates < 1 || candidates > MAX_CANDIDATES) {
                throw new IllegalArgumentException("candidates must be in 1.." + MAX_CANDIDATES + ", got " + candidates);
            }
        }
    }
}
