package dev.thaw.store;

import dev.thaw.study.TrialState;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One leaderboard row: the trial's rank among the study's COMPLETE search trials (empty for the others and for the
 * scratch baseline), number, state, score, parameter values, epochs run, timings, the failure or stop reason, and
 * whether it is the scratch baseline; with k-fold cross-validation, the score's standard deviation over the folds.
 */
public record TrialRow(Optional<Integer> rank, int number, TrialState state, Optional<Double> score,
                       Map<String, Object> params, int epochs, Optional<Instant> started, Optional<Instant> finished,
                       Optional<Long> durationMillis, Optional<String> error, Optional<String> reason,
                       boolean baseline, Optional<Double> scoreSpread) {
    public TrialRow {
        params = Map.copyOf(params);
    }
}
