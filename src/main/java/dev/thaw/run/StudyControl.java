package dev.thaw.run;

/**
 * What a user may do to running work from outside the process that runs it (the CLI's {@code thaw stop}, the web
 * page): ask a trial or a study to stop. Requests are recorded in the store and honoured by whichever node runs
 * the work, at the trial's next batch. Safe to call from any thread.
 */
public interface StudyControl {
    /**
     * Asks trial {@code number} of the study to stop at its next batch, recorded STOPPED with {@code reason}
     * (a PAUSED trial stops at once).
     *
     * @return true when the trial was PAUSED and so is STOPPED now, its checkpoint deleted (no process runs it);
     *         false when it was queued or running and stops at its next batch (a queued one never starts)
     * @throws java.util.NoSuchElementException when the study or the trial does not exist
     * @throws IllegalStateException            when the trial has already ended
     */
    boolean stopTrial(long studyId, int number, String reason);

    /**
     * Asks the study to start no more trials; with {@code now}, its running trials stop at their next batch too.
     *
     * @throws java.util.NoSuchElementException when the study does not exist
     * @throws IllegalStateException            when the study is not running
     */
    void stopStudy(long studyId, String reason, boolean now);
}
