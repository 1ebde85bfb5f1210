package dev.thaw.run;

import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.StudyStatus;

import java.util.Optional;

/** Told how a study run progresses, on the runner's thread; for progress output. Every method may do nothing. */
public interface RunListener {
    /**
     * The study's run starts; a study continued holds {@code finishedBefore} finished and {@code pausedBefore} paused
     * search trials already (the scratch baseline not counted).
     */
    default void studyStarted(StudyRecord study, int finishedBefore, int pausedBefore) {
    }

    /** A trial started; a search trial is the {@code position}-th of the study's {@code budget} (the baseline: 0). */
    default void trialStarted(TrialRecord trial, int position, int budget) {
    }

    default void epochFinished(TrialRecord trial, MetricPoint point, int epochs) {
    }

    default void trialFinished(TrialRecord trial, Optional<TrialRecord> best) {
    }

    /** The pruner paused a trial at a rung (its record holds the reason); it may thaw later. */
    default void trialPaused(TrialRecord trial) {
    }

    /** Later results promote a paused trial: it is queued again and resumes from its checkpoint. */
    default void trialThawed(TrialRecord trial) {
    }

    /** The scratch baseline ended; {@code best} is the search's best trial. */
    default void baselineFinished(TrialRecord baseline, Optional<TrialRecord> best) {
    }

    /**
     * Something a running trial says about what it does, in one line without its number (that it trains on cached
     * frozen features, how far building them has come). Called on the trial's thread.
     */
    default void trialNote(TrialRecord trial, String line) {
    }

    /** Something the user should know about the run, in one line. */
    default void note(String line) {
    }

    default void studyFinished(StudyRecord study, StudyStatus status, String why, Optional<TrialRecord> best) {
    }

    /** A listener that says nothing. */
    RunListener SILENT = new RunListener() {
    };
}
