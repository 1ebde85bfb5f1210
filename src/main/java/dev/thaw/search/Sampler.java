package dev.thaw.search;

import dev.thaw.study.Assignment;

import java.util.Optional;

/**
 * Proposes hyperparameter assignments and learns from their scores. Called by the study runner, one call at a time.
 * A sampler keeps state only for speed: the runner rebuilds it after a restart by replaying the study's trials in
 * order, asking {@link #next()} once per trial and telling each finished trial's score.
 */
public interface Sampler {

    /** The next assignment to try, or empty when the space is exhausted (a finished grid). */
    Optional<Assignment> next();

    /**
     * Reports the score of the assignment returned by the {@code candidate}-th call to {@link #next()} (counting
     * from 1): the order of asking, not a trial number (trials outside the search, like the scratch baseline, take
     * numbers too). Failed trials are not told.
     *
     * @throws IllegalArgumentException when fewer than {@code candidate} assignments were asked for
     */
    void tell(int candidate, double score);
}
