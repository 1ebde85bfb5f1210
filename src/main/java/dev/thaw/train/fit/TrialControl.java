package dev.thaw.train.fit;

import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a running trial talks to whoever runs it, on the trial's thread: it reports each epoch and learns whether to go
 * on, be pruned or pause; it asks before every minibatch whether a user stopped it; and it learns where its
 * checkpoint lives and whether it resumes from one. {@link #stopReason()} is called once per batch, so it must be
 * cheap.
 */
public interface TrialControl {

    /** An epoch finished; its metrics are recorded, and the answer says what the trial does next. */
    PruneDecision epochFinished(MetricPoint point);

    /** Present when a user (or the study's stop) asks the trial to stop at the next batch boundary, with the reason. */
    Optional<String> stopReason();

    /**
     * The folder that holds this trial's checkpoint: written when the trial pauses, read when it resumes. Only this
     * trial uses it; the trainer writes the checkpoint completely or not at all. By default there is none, for a
     * control whose trials never pause.
     */
    default Path checkpointDir() {
        throw new UnsupportedOperationException("this control keeps no checkpoints");
    }

    /**
     * The epoch this run resumes after, from the checkpoint in {@link #checkpointDir()}; empty when the trial starts
     * afresh (the default).
     */
    default OptionalInt resumeAfter() {
        return OptionalInt.empty();
    }

    /**
     * Something the trial does that its user should see, as one line without the trial's number (that it trains on
     * cached features, how far building them has come). By default nobody listens.
     */
    default void note(String line) {
    }

    /** A control that records nothing, never prunes or stops a trial, and has nowhere to keep a checkpoint. */
    TrialControl NONE = new TrialControl() {
        @Override
        public PruneDecision epochFinished(MetricPoint point) {
            return PruneDecision.CONTINUE;
        }

        @Override
        public Optional<String> stopReason() {
            return Optional.empty();
        }
    };
}
