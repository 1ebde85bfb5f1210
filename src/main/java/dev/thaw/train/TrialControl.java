package dev.thaw.train;

import dev.thaw.study.MetricPoint;

import java.util.Optional;

/**
 * How a running trial talks to whoever runs it, on the trial's thread: it reports each epoch, and asks before every
 * minibatch whether it should stop. {@link #stopReason()} is called once per batch, so it must be cheap.
 */
public interface TrialControl {

    /** An epoch finished; its metrics. */
    void epochFinished(MetricPoint point);

    /** Present when the trial should stop at the next batch boundary, with the reason to record. */
    Optional<String> stopReason();

    /** A control that records nothing and never stops a trial. */
    TrialControl NONE = new TrialControl() {
        @Override
        public void epochFinished(MetricPoint point) {
        }

        @Override
        public Optional<String> stopReason() {
            return Optional.empty();
        }
    };
}
