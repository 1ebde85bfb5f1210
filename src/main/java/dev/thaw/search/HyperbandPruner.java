package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.TrialHistory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband: Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar, "Hyperband: A Novel Bandit-Based Approach to
 * Hyperparameter Optimization", JMLR 18 (2018), run asynchronously as Optuna's {@code HyperbandPruner} and Ray Tune's
 * asynchronous Hyperband do: several {@link AshaPruner} brackets, each trial in one of them for good.
 *
 * <p><b>Brackets.</b> With m = min_epochs, η the reduction factor and E the study's epochs, there are B brackets,
 * b = 0 .. B-1, one for each b with m·η^b ≤ E (at least one): B = floor(log_η(E/m)) + 1, Optuna's count and the
 * paper's s_max + 1. Bracket b is ASHA with rungs {@link PrunerSpec#rungs}{@code (E, b)}, which start η^b times later
 * than plain ASHA's; bracket 0 is plain ASHA, and when E = m·η^(B-1) the last bracket has no rung and runs each of its
 * trials to the end (the paper's bracket without early stopping). A trial competes only with the trials of its own
 * bracket, and its reasons start with "bracket b, ".
 *
 * <p><b>Which bracket.</b> Bracket b (s = B-1-b in the paper's numbering) weighs w_b = ceil(B·η^s / (s+1)), the
 * paper's number of trials started in bracket s, so the aggressive brackets get more trials, as in Optuna. Let T be
 * the sum of the weights and k the integer nearest T/φ (φ the golden ratio), raised until it has no common factor with
 * T. Trial number n takes slot (n·k) mod T; slots 0 .. w_0-1 are bracket 0, the next w_1 bracket 1, and so on. So the
 * bracket follows from the trial number alone (not from the study's name, unlike Optuna's hash): any T consecutive
 * numbers give each bracket exactly its weight, and consecutive numbers land spread over the brackets.
 *
 * <p>Stateless; see {@link Pruner}. Costs O(trials · (epochs + B)) per decision.
 */
public final class HyperbandPruner implements Pruner {
    /** 1/φ = (√5 - 1)/2. */
    private static final double INVERSE_GOLDEN = (Math.sqrt(5) - 1) / 2;

    private final List<List<Integer>> rungs = new ArrayList<>();
    private final List<AshaPruner> brackets = new ArrayList<>();
    private final long[] weights;
    private final BigInteger total;
    private final BigInteger stride;

    /**
     * @param spec      the study's pruner block: min_epochs, reduction_factor and mode
     * @param direction whether a larger objective is better
     * @param epochs    the study's epochs per trial, ≥ 1
     */
    public HyperbandPruner(PrunerSpec spec, Direction direction, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        // the rungs of bracket 0 below E + 1 are m·η^b for each b with m·η^b <= E
        int count = Math.max(1, spec.rungs(Math.addExact(epochs, 1), 0).size());
        weights = new long[count];
        long sum = 0;
        for (int b = 0; b < count; b++) {
            List<Integer> r = spec.rungs(epochs, b);
            rungs.add(r);
            brackets.add(new AshaPruner(r, spec.reductionFactor(), spec.mode(), direction, "bracket " + b + ", "));
            int s = count - 1 - b;
            BigInteger scaled = BigInteger.valueOf(spec.reductionFactor()).pow(s).multiply(BigInteger.valueOf(count));
            BigInteger[] qr = scaled.divideAndRemainder(BigInteger.valueOf(s + 1));
            weights[b] = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
            sum += weights[b];
        }
        total = BigInteger.valueOf(sum);
        long k = Math.max(1, Math.round(sum * INVERSE_GOLDEN));
        while (!BigInteger.valueOf(k).gcd(total).equals(BigInteger.ONE)) {
            k++;
        }
        stride = BigInteger.valueOf(k);
    }

    /** How many brackets there are, B ≥ 1. */
    public int brackets() {
        return brackets.size();
    }

    /** Bracket b's weight: how many of any T consecutive trial numbers it gets. */
    public long weight(int bracket) {
        return weights[bracket];
    }

    /** The bracket of trial {@code number}, 0 .. B-1. */
    public int bracketOf(int number) {
        long slot = BigInteger.valueOf(number).multiply(stride).mod(total).longValueExact();
        int b = 0;
        while (slot >= weights[b]) {
            slot -= weights[b++];
        }
        return b;
    }

    /** The rungs of trial {@code number}'s bracket: the epochs at which it is compared, ascending; may be empty. */
    public List<Integer> rungsOf(int number) {
        return rungs.get(bracketOf(number));
    }

    @Override
    public PruneDecision decide(TrialHistory history, TrialHistory.Trial trial) {
        if (trial.baseline() || trial.epochs().isEmpty()) {
            return PruneDecision.CONTINUE;
        }
        int bracket = bracketOf(trial.number());
        List<TrialHistory.Trial> same = new ArrayList<>();
        for (TrialHistory.Trial t : history.search()) {
            if (bracketOf(t.number()) == bracket) {
                same.add(t);
            }
        }
        return brackets.get(bracket).decide(same, trial);
    }
}
