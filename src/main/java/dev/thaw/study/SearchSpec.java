package dev.thaw.study;

import java.time.Duration;
import java.util.Collection;
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

    /**
     * The most cells a grid may hold. Arbiter's grid search lists every cell before it gives the first (a grid of
     * 10^9 cells never gave one), cells that differ only in inactive parameters are walked past one by one (about
     * ten thousand a second), and {@code validate} counts the distinct trainings by walking them all.
     */
    public static final long MAX_GRID_CELLS = 1_000_000;

    /**
     * How many cells grid search walks over {@code space}, as Arbiter's grid search makes them: a float range cut
     * into {@code gridPoints} points, an int range of step 1 into at most that many, a stepped int range and a
     * choice each value once, a fixed value once. Long.MAX_VALUE when the product overflows.
     */
    public long gridCells(Collection<ParamSpec> space) {
        long cells = 1;
        for (ParamSpec p : space) {
            try {
                cells = Math.multiplyExact(cells, gridValues(p));
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return cells;
    }

    /** How many values grid search gives {@code p} (a factor of {@link #gridCells}). */
    public long gridValues(ParamSpec p) {
        if (p instanceof ParamSpec.FloatParam) {
            return gridPoints;
        }
        if (p instanceof ParamSpec.IntParam i) {
            return i.step() == 1 ? Math.min(i.count(), gridPoints) : i.count();
        }
        if (p instanceof ParamSpec.ChoiceParam c) {
            return c.values().size();
        }
        return 1;
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
