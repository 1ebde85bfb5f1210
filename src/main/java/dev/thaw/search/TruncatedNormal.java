package dev.thaw.search;

import java.util.random.RandomGenerator;

/**
 * The normal-distribution arithmetic the Parzen estimators need, in log space so that far tails neither underflow
 * nor cancel: the log of a standard normal's mass on an interval, and draws from a normal truncated to an interval.
 *
 * <p>The complementary error function is the Chebyshev fit of Press et al. (Numerical Recipes, 2nd ed., §6.2,
 * {@code erfcc}), whose relative error is below 1.2e-7 for every {@code z >= 0}; written as a logarithm it stays
 * finite where {@code erfc} itself underflows (z above ~26). TPE only ranks candidates by a density ratio, for which
 * this is ample.
 */
final class TruncatedNormal {
    /** log(sqrt(2π)): the standard normal density is exp(-z²/2 - LOG_SQRT_2PI). */
    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LOG_2 = Math.log(2);
    private static final double SQRT_HALF = Math.sqrt(0.5);
    /** Below this standardized width an interval's mass is its midpoint density times its width. */
    private static final double NARROW = 1e-3;
    /** Rejection draws before giving up on a truncated draw (each is accepted with probability above 1/3). */
    private static final int MAX_REJECTIONS = 200;

    private TruncatedNormal() {
    }

    /** log erfc(z) for z >= 0. */
    static double logErfc(double z) {
        double t = 1 / (1 + 0.5 * z);
        return Math.log(t) - z * z + fit(t);
    }

    /** The fit's polynomial in t = 1 / (1 + z/2): erfc(z) = t · exp(-z² + fit(t)). */
    private static double fit(double t) {
        return -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    }

    /** log P(Z > a) for a standard normal Z and a >= 0. */
    static double logUpperTail(double a) {
        return a == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : logErfc(a * SQRT_HALF) - LOG_2;
    }

    /** P(Z > a) for a standard normal Z and a >= 0. */
    private static double upperTail(double a) {
        double z = a * SQRT_HALF;
        double t = 1 / (1 + 0.5 * z);
        return 0.5 * t * Math.exp(-z * z + fit(t));
    }

    /**
     * log P(a <= Z <= b) for a standard normal Z, {@code a <= b} (either may be infinite); -infinity for an empty
     * interval.
     */
    static double logMass(double a, double b) {
        if (!(a < b)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (b - a < NARROW) {
            double mid = 0.5 * (a + b);
            return -0.5 * mid * mid - LOG_SQRT_2PI + Math.log(b - a);
        }
        if (a >= 0) {
            return tailDifference(a, b);
        }
        if (b <= 0) {
            return tailDifference(-b, -a);
        }
        // Straddles 0: one minus the two tails, each at most a half, so no cancellation.
        return Math.log1p(-upperTail(-a) - upperTail(b));
    }

    /** log P(a <= Z <= b) for 0 <= a < b: the upper tail at a less the one at b. */
    private static double tailDifference(double a, double b) {
        double logA = logUpperTail(a);
        double ratio = Math.exp(logUpperTail(b) - logA);
        if (ratio >= 1) { // only for b just above a, where the fit's error exceeds the difference
            double mid = 0.5 * (a + b);
            return -0.5 * mid * mid - LOG_SQRT_2PI + Math.log(b - a);
        }
        return logA + Math.log1p(-ratio);
    }

    /**
     * A draw from N(mu, sigma²) truncated to [low, high], by rejection: for the estimators' components (mu inside the
     * interval, sigma at most its width) each normal draw lands inside with probability above 1/3. Should every
     * draw miss, the result is mu clamped to the interval.
     */
    static double sample(double mu, double sigma, double low, double high, RandomGenerator random) {
        for (int i = 0; i < MAX_REJECTIONS; i++) {
            double x = mu + sigma * random.nextGaussian();
            if (x >= low && x <= high) {
                return x;
            }
        }
        return Math.min(high, Math.max(low, mu));
    }
}
