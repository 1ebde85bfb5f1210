package dev.thaw.store;

import dev.thaw.study.TrialState;

import java.util.Optional;

/**
 * The little the study driver polls for: a trial's identity, state, score, how many epochs it has recorded, and
 * whether it is the baseline.
 */
public record TrialProgress(long id, int number, TrialState state, Optional<Double> score, int epochs,
                            boolean baseline) {
}
