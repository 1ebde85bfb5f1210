package dev.thaw.train.fit;

import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;

import java.util.Optional;

/**
 * How a trial's run ended. {@link Finished}: it ran to its last epoch, or ended early (pruned, or stopped by a user),
 * with its final scores and trained model; {@link Paused}: the pruner set it aside after {@code epoch}, its
 * checkpoint written to the control's {@link TrialControl#checkpointDir()}.
 */
public sealed interface TrialOutcome {

    /**
     * This outcome as a finished run.
     *
     * @throws IllegalStateException when the trial paused instead
     */
    default Finished finished() {
        if (this instanceof Finished f) {
            return f;
        }
        throw new IllegalStateException("the trial paused after epoch " + ((Paused) this).epoch() + " instead of ending");
    }

    /**
     * @param end    COMPLETE, PRUNED (by the pruner) or STOPPED (by a user or the study's stop)
     * @param reason the pruner's or the user's reason; empty exactly when COMPLETE
     */
    record Finished(TrialResult result, TrainedModel model, TrialState end, Optional<String> reason)
            implements TrialOutcome {
        public Finished {
            if (end != TrialState.COMPLETE && end != TrialState.PRUNED && end != TrialState.STOPPED) {
                throw new IllegalArgumentException("a finished run ends COMPLETE, PRUNED or STOPPED, not " + end);
            }
            if (reason.isPresent() == (end == TrialState.COMPLETE)) {
                throw new IllegalArgumentException("a reason goes with PRUNED or STOPPED, and only with them");
            }
        }
    }

    /** @param epoch the last epoch trained, the one the checkpoint holds */
    record Paused(int epoch, String reason) implements TrialOutcome {
    }
}
