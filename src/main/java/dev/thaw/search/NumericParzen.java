package dev.thaw.search;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A univariate Parzen estimator of a number on its internal axis ({@link TpeDimension}): a weighted mixture of
 * normals truncated to [low, high], one centred on each observation and one prior component centred on the middle of
 * the interval with the interval's width as sigma.
 *
 * <p>Bandwidths follow Optuna's univariate rule: with the centres (prior included) sorted, a component's sigma is the
 * larger of the distances to its two neighbours (the interval's ends counting as neighbours, except that the lowest
 * and highest centres look only inwards), then clipped to [width / min(100, 1 + components), width] (the "magic
 * clip"). Weights are {@link TpeSplit#mixtureWeights}.
 *
 * <p>On a step grid ({@code step > 0}) the density of a grid value is the mixture's mass on the value's bin,
 * [x - step/2, x + step/2] within the interval.
 */
final class NumericParzen {
    private static final double NEGLIGIBLE = 40;
    private final double low;
    private final double high;
    private final double step;
    private final double[] mus;
    private final double[] sigmas;
    private final double[] cumulative;
    /** Per component: log weight - log of its mass on [low, high] (- log sigma - log sqrt(2π) for densities). */
    private final double[] offsets;
    private final double[] inverseSigmas;
    private final double[] terms;

    NumericParzen(double[] observations, double low, double high, double step) {
        int n = observations.length;
        this.low = low;
        this.high = high;
        this.step = step;
        double[] centres = Arrays.copyOf(observations, n + 1);
        centres[n] = 0.5 * (low + high);
        double[] bandwidths = univariateSigmas(observations, low, high);
        double[] weights = TpeSplit.mixtureWeights(n);
        if (step > 0) {
            // On a grid many components coincide; one with their summed weight is the same mixture, and cheaper.
            Map<Component, Integer> merged = new LinkedHashMap<>();
            double[] summed = new double[n + 1];
            for (int j = 0; j <= n; j++) {
                int at = merged.computeIfAbsent(new Component(centres[j], bandwidths[j]), c -> merged.size());
                summed[at] += weights[j];
            }
            int m = merged.size();
            centres = new double[m];
            bandwidths = new double[m];
            for (Map.Entry<Component, Integer> e : merged.entrySet()) {
                centres[e.getValue()] = e.getKey().mu();
                bandwidths[e.getValue()] = e.getKey().sigma();
            }
            weights = Arrays.copyOf(summed, m);
        }
        int m = centres.length;
        this.mus = centres;
        this.sigmas = bandwidths;
        this.cumulative = cumulative(weights);
        this.offsets = new double[m];
        this.inverseSigmas = new double[m];
        this.terms = new double[m];
        for (int j = 0; j < m; j++) {
            inverseSigmas[j] = 1 / sigmas[j];
            offsets[j] = Math.log(weights[j])
                    - TruncatedNormal.logMass((low - mus[j]) * inverseSigmas[j], (high - mus[j]) * inverseSigmas[j]);
            if (step == 0) {
                offsets[j] -= Math.log(sigmas[j]) + TruncatedNormal.LOG_SQRT_2PI;
            }
        }
    }

    private record Component(double mu, double sigma) {
    }

    /** A draw: a component picked by weight, then a value from its truncated normal (off the grid when stepped). */
    double sample(RandomGenerator random) {
        int j = pick(cumulative, random);
        return TruncatedNormal.sample(mus[j], sigmas[j], low, high, random);
    }

    /** log density at {@code x} (a grid value when stepped: log of the mass on its bin). */
    double logDensity(double x) {
        int m = mus.length;
        double max = Double.NEGATIVE_INFINITY;
        if (step == 0) {
            for (int j = 0; j < m; j++) {
                double z = (x - mus[j]) * inverseSigmas[j];
                double t = offsets[j] - 0.5 * z * z;
                terms[j] = t;
                max = Math.max(max, t);
            }
        } else {
            double a = Math.max(low, x - 0.5 * step);
            double b = Math.min(high, x + 0.5 * step);
            for (int j = 0; j < m; j++) {
                double t = offsets[j]
                        + TruncatedNormal.logMass((a - mus[j]) * inverseSigmas[j], (b - mus[j]) * inverseSigmas[j]);
                terms[j] = t;
                max = Math.max(max, t);
            }
        }
        return logSumExp(terms, m, max);
    }

    /**
     * Optuna's univariate bandwidths for {@code observations} plus the prior centre, the prior's set to the width.
     */
    static double[] univariateSigmas(double[] observations, double low, double high) {
        int m = observations.length + 1;
        double[] centres = Arrays.copyOf(observations, m);
        centres[m - 1] = 0.5 * (low + high);
        double[] sorted = centres.clone();
        Arrays.sort(sorted);
        double[] bySorted = new double[m];
        for (int i = 0; i < m; i++) {
            double left = sorted[i] - (i == 0 ? low : sorted[i - 1]);
            double right = (i == m - 1 ? high : sorted[i + 1]) - sorted[i];
            bySorted[i] = Math.max(left, right);
        }
        if (m >= 2) {
            bySorted[0] = sorted[1] - sorted[0];
            bySorted[m - 1] = sorted[m - 1] - sorted[m - 2];
        }
        // Back to the centres' order; equal centres take their sorted places in order of appearance (a stable sort).
        int[] taken = new int[m];
        double[] sigmas = new double[m];
        for (int j = 0; j < m; j++) {
            int first = lowerBound(sorted, centres[j]);
            sigmas[j] = bySorted[first + taken[first]++];
        }
        clip(sigmas, high - low, m);
        sigmas[m - 1] = high - low;
        return sigmas;
    }

    /** Every sigma into [width / min(100, 1 + components), width]. */
    static void clip(double[] sigmas, double width, int components) {
        double min = width / Math.min(100.0, 1.0 + components);
        for (int j = 0; j < sigmas.length; j++) {
            sigmas[j] = Math.min(width, Math.max(min, sigmas[j]));
        }
    }

    /** The index of the component whose cumulative weight first exceeds a uniform draw. */
    static int pick(double[] cumulative, RandomGenerator random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static double[] cumulative(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        return c;
    }

    /**
     * log of the sum of exp(terms[0..m)), given their maximum. Terms more than 40 below it are left out: each adds
     * less than 5e-18 of the sum.
     */
    static double logSumExp(double[] terms, int m, double max) {
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double cutoff = max - NEGLIGIBLE;
        double sum = 0;
        for (int j = 0; j < m; j++) {
            if (terms[j] > cutoff) {
                sum += Math.exp(terms[j] - max);
            }
        }
        return max + Math.log(sum);
    }

    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
