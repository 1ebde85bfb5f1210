package dev.thaw.search;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A multivariate Parzen estimator over several parameters (TPE's {@code multivariate} mode): a weighted mixture of
 * product kernels, one per observation (a trial holding every parameter) and a prior one. In a component each number
 * has a normal truncated to its interval and each choice a smoothed categorical kernel (as {@link CategoricalParzen}'s
 * components); the prior component sits at the middle of every interval with the width as sigma and is uniform over
 * every choice.
 *
 * <p>Bandwidths follow Optuna's multivariate rule (Scott's rule as in BOHB): for {@code n} observations of {@code d}
 * parameters every observation's sigma is {@code 0.2 · max(n, 1)^(-1/(d+4)) · width}, then clipped as the univariate
 * ones ({@link NumericParzen#clip}). A draw picks one component by weight and samples every parameter from it; the
 * density of a point sums over components the product of its kernels.
 */
final class JointParzen {
    private static final double SCOTT_FACTOR = 0.2;

    private final TpeDimension[] dims;
    private final int m;
    private final double[] logWeights;
    private final double[] cumulative;
    /**
     * Numbers: [dimension][component] centre, sigma, and the log normaliser: -log(mass on the interval), less
     * log(sigma · sqrt(2π)) for a continuous one (a density rather than a bin's mass).
     */
    private final double[][] mus;
    private final double[][] sigmas;
    private final double[][] logNorms;
    /**
     * Choices: [dimension][component] observed category (-1 for the prior). An observation's kernel gives each
     * category {@code smoothing} and its own 1 more, then normalises.
     */
    private final int[][] categories;
    private final double smoothing;
    /** Stepped dimensions: the components' distinct kernels (on a grid, observations repeat). */
    private final KernelGroups[] groups;
    private final double[] terms;

    /** The distinct (centre, sigma) pairs of one dimension's components, and which one each component has. */
    private static final class KernelGroups {
        final int[] of;
        final double[] mu;
        final double[] sigma;

        KernelGroups(double[] mus, double[] sigmas) {
            Map<List<Double>, Integer> ids = new HashMap<>();
            of = new int[mus.length];
            double[] distinctMu = new double[mus.length];
            double[] distinctSigma = new double[mus.length];
            for (int j = 0; j < mus.length; j++) {
                int id = ids.computeIfAbsent(List.of(mus[j], sigmas[j]), key -> ids.size());
                of[j] = id;
                distinctMu[id] = mus[j];
                distinctSigma[id] = sigmas[j];
            }
            mu = Arrays.copyOf(distinctMu, ids.size());
            sigma = Arrays.copyOf(distinctSigma, ids.size());
        }
    }

    /** @param observations per observation (oldest first), the internal value of each dimension */
    JointParzen(TpeDimension[] dims, double[][] observations) {
        int n = observations.length;
        int d = dims.length;
        this.dims = dims;
        this.m = n + 1;
        double[] weights = TpeSplit.mixtureWeights(n);
        this.cumulative = NumericParzen.cumulative(weights);
        this.logWeights = new double[m];
        for (int j = 0; j < m; j++) {
            logWeights[j] = Math.log(weights[j]);
        }
        this.smoothing = TpeSplit.PRIOR_WEIGHT / (n + 1);
        this.mus = new double[d][];
        this.sigmas = new double[d][];
        this.logNorms = new double[d][];
        this.categories = new int[d][];
        this.terms = new double[m];
        this.groups = new KernelGroups[d];
        double scale = SCOTT_FACTOR * Math.pow(Math.max(n, 1), -1.0 / (d + 4));
        for (int k = 0; k < d; k++) {
            TpeDimension dim = dims[k];
            if (dim.kind == TpeDimension.Kind.CATEGORICAL) {
                categories[k] = new int[m];
                for (int j = 0; j < n; j++) {
                    categories[k][j] = (int) observations[j][k];
                }
                categories[k][n] = -1;
                continue;
            }
            double width = dim.high - dim.low;
            mus[k] = new double[m];
            sigmas[k] = new double[m];
            logNorms[k] = new double[m];
            for (int j = 0; j < n; j++) {
                mus[k][j] = observations[j][k];
                sigmas[k][j] = scale * width;
            }
            NumericParzen.clip(sigmas[k], width, m);
            mus[k][n] = 0.5 * (dim.low + dim.high);
            sigmas[k][n] = width;
            if (dim.kind == TpeDimension.Kind.STEPPED) {
                groups[k] = new KernelGroups(mus[k], sigmas[k]);
            }
            for (int j = 0; j < m; j++) {
                logNorms[k][j] = -TruncatedNormal.logMass((dim.low - mus[k][j]) / sigmas[k][j],
                        (dim.high - mus[k][j]) / sigmas[k][j]);
                if (dim.kind == TpeDimension.Kind.CONTINUOUS) {
                    logNorms[k][j] -= Math.log(sigmas[k][j]) + TruncatedNormal.LOG_SQRT_2PI;
                }
            }
        }
    }

    /** A draw (internal values, grid values for stepped dimensions) from one component picked by weight. */
    double[] sample(RandomGenerator random) {
        int j = NumericParzen.pick(cumulative, random);
        double[] x = new double[dims.length];
        for (int k = 0; k < dims.length; k++) {
            TpeDimension dim = dims[k];
            if (dim.kind == TpeDimension.Kind.CATEGORICAL) {
                x[k] = category(categories[k][j], dim.categories(), random);
            } else {
                double v = TruncatedNormal.sample(mus[k][j], sigmas[k][j], dim.low, dim.high, random);
                x[k] = dim.kind == TpeDimension.Kind.STEPPED ? dim.snap(v) : v;
            }
        }
        return x;
    }

    /** A category from a component's kernel: uniform for the prior, else its own with extra mass. */
    private int category(int observed, int k, RandomGenerator random) {
        if (observed < 0) {
            return random.nextInt(k);
        }
        double r = random.nextDouble() * (k * smoothing + 1);
        return r < 1 ? observed : Math.min(k - 1, (int) ((r - 1) / smoothing));
    }

    /** The log density of each point of {@code points} (as {@link #sample} returns them). */
    double[] logDensities(double[][] points) {
        double[] out = new double[points.length];
        double[][][] binTables = new double[dims.length][][];
        for (int k = 0; k < dims.length; k++) {
            if (dims[k].kind == TpeDimension.Kind.STEPPED) {
                binTables[k] = binTable(k, points);
            }
        }
        for (int c = 0; c < points.length; c++) {
            System.arraycopy(logWeights, 0, terms, 0, m);
            for (int k = 0; k < dims.length; k++) {
                add(k, c, points, binTables[k]);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                max = Math.max(max, terms[j]);
            }
            out[c] = NumericParzen.logSumExp(terms, m, max);
        }
        return out;
    }

    /** Adds dimension k's log kernel at point c to every component's term. */
    private void add(int k, int c, double[][] points, double[][] binTable) {
        double x = points[c][k];
        switch (dims[k].kind) {
            case CONTINUOUS -> {
                double[] mu = mus[k];
                double[] sigma = sigmas[k];
                double[] norm = logNorms[k];
                for (int j = 0; j < m; j++) {
                    double z = (x - mu[j]) / sigma[j];
                    terms[j] += norm[j] - 0.5 * z * z;
                }
            }
            case STEPPED -> {
                double[] row = binTable[c];
                for (int j = 0; j < m; j++) {
                    terms[j] += row[j];
                }
            }
            case CATEGORICAL -> {
                int size = dims[k].categories();
                double total = size * smoothing + 1;
                double hit = Math.log((smoothing + 1) / total);
                double miss = Math.log(smoothing / total);
                double uniform = -Math.log(size);
                int[] observed = categories[k];
                int category = (int) x;
                for (int j = 0; j < m; j++) {
                    terms[j] += observed[j] < 0 ? uniform : observed[j] == category ? hit : miss;
                }
            }
            default -> throw new IllegalStateException("constant parameters are not modelled");
        }
    }

    /**
     * For a stepped dimension k, per point the log kernel of every component at the point's bin; points with the
     * same value share one row.
     */
    private double[][] binTable(int k, double[][] points) {
        TpeDimension dim = dims[k];
        double[][] rows = new double[points.length][];
        for (int c = 0; c < points.length; c++) {
            double x = points[c][k];
            for (int e = 0; e < c && rows[c] == null; e++) {
                if (points[e][k] == x) {
                    rows[c] = rows[e];
                }
            }
            if (rows[c] == null) {
                double a = Math.max(dim.low, x - 0.5 * dim.step);
                double b = Math.min(dim.high, x + 0.5 * dim.step);
                KernelGroups g = groups[k];
                double[] mass = new double[g.mu.length];
                for (int i = 0; i < mass.length; i++) {
                    mass[i] = TruncatedNormal.logMass((a - g.mu[i]) / g.sigma[i], (b - g.mu[i]) / g.sigma[i]);
                }
                double[] row = new double[m];
                for (int j = 0; j < m; j++) {
                    row[j] = logNorms[k][j] + mass[g.of[j]];
                }
                rows[c] = row;
            }
        }
        return rows;
    }
}
