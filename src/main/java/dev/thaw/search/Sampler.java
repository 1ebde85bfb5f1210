package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.TrialHistory;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Proposes the next trial's hyperparameters from the study's history. Called by the study driver on its own thread,
 * one call at a time. A sampler keeps no state that matters: what it proposes depends only on the space, the history
 * and the random source, so a driver that restarts after a crash, runs on another node or continues with a larger
 * budget proposes what an uninterrupted one would. (An implementation may cache work between calls for speed, as long
 * as the result is the same without the cache.)
 *
 * <p>Contract: the proposal holds exactly the parameters active under it ({@link SearchSpace#activePart}), each
 * within its declared range; pending trials in the history are proposals already made, and a sampler should not
 * propose them again.
 */
public interface Sampler {

    /**
     * The next assignment to try, or empty when the space is exhausted (a finished grid).
     *
     * @param random a source seeded for this proposal ({@link #randomFor})
     */
    Optional<Assignment> propose(SearchSpace space, TrialHistory history, RandomGenerator random);

    /**
     * The random source for the proposal after {@code history}: seeded from the search seed and the number of search
     * trials the history holds, so the same history gives the same source.
     */
    static RandomGenerator randomFor(long seed, TrialHistory history) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + history.search().size());
    }
}
