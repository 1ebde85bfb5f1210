package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.TrialState;

import java.util.Optional;

/**
 * The one definition of which trials are ranked and which is best, used by every query of the store (and through
 * them by the CLI, the web, the charts, export and the driver).
 *
 * <ul>
 *   <li>Only COMPLETE trials of the search budget with a score are ranked: a pruned, stopped, failed, queued or
 *       running trial is not, and neither is the scratch baseline (it is shown and marked, never ranked, counted
 *       among the finished, or drawn as best so far).</li>
 *   <li>A ranked trial's rank is 1 + the number of ranked trials with a strictly better score in the study's
 *       direction, so ties share a rank (1, 1, 3).</li>
 *   <li>The best trial is the ranked trial with the best score; of a tie, the lowest trial number.</li>
 * </ul>
 */
public final class Ranking {
    private Ranking() {
    }

    /** The SQL condition, over the trial table under {@code alias}, that a row is ranked. */
    static String rankedSql(String alias) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "state = 'COMPLETE' AND " + a + "score IS NOT NULL AND NOT " + a + "baseline";
    }

    /** SQL ordering the ranked rows best first (ties by trial number). */
    static String bestFirstSql(String alias, Direction direction) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "score " + (direction == Direction.MAXIMIZE ? "DESC" : "ASC") + ", " + a + "number ASC";
    }

    /** True when a trial in this state, with this score, is ranked. */
    public static boolean isRanked(TrialState state, Optional<Double> score, boolean baseline) {
        return state == TrialState.COMPLETE && score.isPresent() && !baseline;
    }

    public static boolean isRanked(TrialRecord trial) {
        return isRanked(trial.state(), trial.score(), trial.baseline());
    }

    /**
     * True when ranked trial {@code a} comes before ranked trial {@code b}: a better score, or the same score and a
     * lower number (the order of {@link #bestFirstSql}, for a caller that holds the trials already).
     */
    public static boolean before(TrialRecord a, TrialRecord b, Direction direction) {
        double sa = a.score().orElseThrow();
        double sb = b.score().orElseThrow();
        return direction.better(sa, sb) || (sa == sb && a.number() < b.number());
    }

    /**
     * The rank of {@code score} among the ranked scores {@code bestFirst} (sorted best first): 1 + how many are
     * strictly better.
     */
    static int rank(double score, double[] bestFirst, Direction direction) {
        int low = 0;
        int high = bestFirst.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (direction.better(bestFirst[mid], score)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low + 1;
    }
}
