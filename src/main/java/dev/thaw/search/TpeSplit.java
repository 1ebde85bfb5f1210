package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The search trials TPE learns from, split into the good ones (the best {@code n_good} ranked trials) and the bad
 * ones (the other ranked trials, and every trial in flight as if it had the worst result: the constant liar). Both
 * groups are in trial-number order, oldest first, which is the order the observation weights ramp over.
 *
 * <p>The ranked trials are, as in Optuna 3.1's TPE, the COMPLETE trials with a score and the trials the pruner set
 * aside after at least one epoch (PRUNED, and PAUSED at a rung), each counted with the value it reached. Best first:
 * the COMPLETE trials by score; after them the pruned and paused ones, those that reached more epochs first, then by
 * the objective at their last epoch. NaN values rank last among their peers; ties go to the lower trial number.
 *
 * @param ranked how many trials are ranked (those in flight not counted)
 */
record TpeSplit(List<TrialHistory.Trial> good, List<TrialHistory.Trial> bad, int ranked) {
    /** Observations beyond which older ones weigh less (Optuna's default weights). */
    static final int FLAT_WEIGHTS = 25;
    /** The most good trials, whatever gamma (Optuna's default gamma). */
    static final int MAX_GOOD = 25;
    /** The prior component's weight before normalisation. */
    static final double PRIOR_WEIGHT = 1.0;

    /**
     * Whether TPE ranks {@code t}: COMPLETE with a score, or PRUNED or PAUSED after at least one epoch (a trial
     * stopped by a user, failed, or cancelled is not learnt from).
     */
    static boolean ranks(TrialHistory.Trial t) {
        return t.scored() || (t.state() == TrialState.PRUNED || t.state() == TrialState.PAUSED)
                && !t.epochs().isEmpty();
    }

    /** How many of {@code search}'s trials TPE ranks. */
    static int rankedCount(List<TrialHistory.Trial> search) {
        int n = 0;
        for (TrialHistory.Trial t : search) {
            if (ranks(t)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The split of {@code search} (trials by number): the ranked trials best first in {@code direction} (see the
     * class), of which the first {@code min(ceil(gamma * n), 25)} are good (at least one when any trial is ranked).
     */
    static TpeSplit of(List<TrialHistory.Trial> search, Direction direction, double gamma) {
        int n = rankedCount(search);
        int nGood = n == 0 ? 0 : Math.max(1, Math.min((int) Math.ceil(gamma * n), MAX_GOOD));
        // The best nGood by insertion into a short ranked list: trials come by number, so among equal keys the
        // earlier one stays ahead.
        double sign = direction == Direction.MAXIMIZE ? -1 : 1;
        Key[] keys = new Key[nGood];
        TrialHistory.Trial[] best = new TrialHistory.Trial[nGood];
        int filled = 0;
        for (TrialHistory.Trial t : search) {
            if (!ranks(t) || nGood == 0) {
                continue;
            }
            Key key = Key.of(t, sign);
            if (filled == nGood && key.compareTo(keys[nGood - 1]) >= 0) {
                continue;
            }
            int at = filled == nGood ? nGood - 1 : filled++;
            while (at > 0 && key.compareTo(keys[at - 1]) < 0) {
                keys[at] = keys[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            keys[at] = key;
            best[at] = t;
        }
        Set<TrialHistory.Trial> good = Collections.newSetFromMap(new IdentityHashMap<>());
        good.addAll(Arrays.asList(best));
        List<TrialHistory.Trial> goodInOrder = new ArrayList<>(nGood);
        List<TrialHistory.Trial> bad = new ArrayList<>(search.size());
        for (TrialHistory.Trial t : search) {
            if (good.contains(t)) {
                goodInOrder.add(t);
            } else if (ranks(t) || t.state().inFlight()) {
                bad.add(t);
            }
        }
        return new TpeSplit(List.copyOf(goodInOrder), List.copyOf(bad), n);
    }

    /**
     * A ranked trial's place, smaller first: COMPLETE trials (tier 0) by signed score, then pruned and paused ones
     * (tier 1) by the epochs they reached, most first, then by their signed last objective.
     */
    private record Key(int tier, int epochs, double value) implements Comparable<Key> {
        static Key of(TrialHistory.Trial t, double sign) {
            if (t.scored()) {
                return new Key(0, 0, sign * t.score().orElseThrow());
            }
            MetricPoint last = t.epochs().get(t.epochs().size() - 1);
            return new Key(1, last.epoch(), sign * last.objective());
        }

        @Override
        public int compareTo(Key o) {
            if (tier != o.tier) {
                return Integer.compare(tier, o.tier);
            }
            if (epochs != o.epochs) {
                return Integer.compare(o.epochs, epochs);
            }
            return Double.compare(value, o.value); // NaN last
        }
    }

    /**
     * The internal values {@code name} has in {@code trials}, for the trials that hold it with a usable value, in
     * the trials' order.
     */
    static double[] values(List<TrialHistory.Trial> trials, String name, TpeDimension dimension) {
        double[] out = new double[trials.size()];
        int n = 0;
        for (TrialHistory.Trial t : trials) {
            Object value = t.assignment().values().get(name);
            if (value != null) {
                double v = dimension.internal(value);
                if (!Double.isNaN(v)) {
                    out[n++] = v;
                }
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * The mixture weights of {@code n} observations (oldest first) and the prior (last), summing to 1: equal for up
     * to 25 observations; beyond that the newest 25 weigh 1 and the older ones ramp linearly from 1/n up to 1.
     */
    static double[] mixtureWeights(int n) {
        double[] w = new double[n + 1];
        int ramp = n > FLAT_WEIGHTS ? n - FLAT_WEIGHTS : 0;
        for (int i = 0; i < n; i++) {
            w[i] = i < ramp ? rampPoint(i, ramp, n) : 1;
        }
        w[n] = PRIOR_WEIGHT;
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        for (int i = 0; i <= n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The i-th of {@code count} points evenly spaced from 1/n to 1 (just 1/n when count is 1). */
    private static double rampPoint(int i, int count, int n) {
        double start = 1.0 / n;
        return count == 1 ? start : start + i * (1 - start) / (count - 1);
    }
}
