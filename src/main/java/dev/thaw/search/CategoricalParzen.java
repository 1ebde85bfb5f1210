package dev.thaw.search;

import java.util.random.RandomGenerator;

/**
 * A univariate Parzen estimator of a choice among {@code k} values: a weighted mixture with one component per
 * observation and a prior component. As in Optuna, every component first spreads the prior weight over its
 * {@code n + 1} components evenly over all {@code k} categories, an observation's component adds 1 to its own
 * category, and each component is then normalised; the prior component is thus uniform. The mixture's probabilities
 * are computed once; the estimator draws and scores categories by index.
 */
final class CategoricalParzen {
    private final double[] probabilities;
    private final double[] cumulative;

    /** @param observations category indices, oldest first */
    CategoricalParzen(int[] observations, int k) {
        int n = observations.length;
        double[] weights = TpeSplit.mixtureWeights(n);
        double smoothing = TpeSplit.PRIOR_WEIGHT / (n + 1);
        double rowTotal = k * smoothing + 1;
        probabilities = new double[k];
        double spread = weights[n] / k; // the prior component
        for (int i = 0; i < n; i++) {
            spread += weights[i] * smoothing / rowTotal;
            probabilities[observations[i]] += weights[i] / rowTotal;
        }
        for (int c = 0; c < k; c++) {
            probabilities[c] += spread;
        }
        cumulative = NumericParzen.cumulative(probabilities);
    }

    /** The probability of each category, by index. */
    double[] probabilities() {
        return probabilities.clone();
    }

    int sample(RandomGenerator random) {
        return NumericParzen.pick(cumulative, random);
    }

    double logProbability(int category) {
        return Math.log(probabilities[category]);
    }
}
