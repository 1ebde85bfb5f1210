package dev.thaw.store;

import dev.thaw.study.Assignment;
import dev.thaw.study.TrialState;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A stored trial with its provenance: number within the study, state, parameters, score, timings, the error of a
 * FAILED trial, the reason a trial was PRUNED, the worker that ran it, how many times it was started, and whether it
 * is the scratch baseline (outside the search; never the best). {@code scoreSpread} is the standard deviation of the
 * score over k folds, with k-fold cross-validation.
 */
public record TrialRecord(long id, long studyId, int number, TrialState state, Assignment assignment,
                          Optional<Double> score, int epochs, Optional<String> error, long seed,
                          String datasetFingerprint, String thawVersion, String dl4jVersion, String javaVersion,
                          Instant created, Optional<Instant> started, Optional<Instant> finished,
                          Optional<String> worker, Optional<String> reason, int attempts, boolean baseline,
                          Optional<Double> scoreSpread) {

    /** This trial as {@link TrialStore#start} leaves it: RUNNING on {@code worker} since {@code at}. */
    public TrialRecord started(Instant at, String worker) {
        return new TrialRecord(id, studyId, number, TrialState.RUNNING, assignment, score, epochs, error, seed,
                datasetFingerprint, thawVersion, dl4jVersion, javaVersion, created, Optional.of(at), finished,
                Optional.of(worker), reason, attempts + 1, baseline, scoreSpread);
    }

    public Optional<Duration> duration() {
        return started.flatMap(s -> finished.map(f -> Duration.between(s, f)));
    }
}
