package dev.thaw.run;

import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.MetricPoint;
import dev.thaw.train.TrialControl;

import java.time.Clock;
import java.util.Optional;

/**
 * Connects a running trial to the store: records each epoch, heartbeats, and reads stop requests for the trial or
 * (stop --now) its study, at most once per {@code POLL_MILLIS} so that the per-batch check stays cheap.
 */
final class StoreControl implements TrialControl {
    static final long POLL_MILLIS = 500;

    private final StudyStore studies;
    private final TrialStore trials;
    private final TrialRecord trial;
    private final int epochs;
    private final Clock clock;
    private final RunListener listener;
    private long lastPoll;
    private Optional<String> stop = Optional.empty();

    StoreControl(StudyStore studies, TrialStore trials, TrialRecord trial, int epochs, Clock clock, RunListener listener) {
        this.studies = studies;
        this.trials = trials;
        this.trial = trial;
        this.epochs = epochs;
        this.clock = clock;
        this.listener = listener;
        this.lastPoll = clock.millis();
    }

    @Override
    public void epochFinished(MetricPoint point) {
        trials.recordEpoch(trial.id(), point);
        listener.epochFinished(trial, point, epochs);
    }

    @Override
    public Optional<String> stopReason() {
        long now = clock.millis();
        if (stop.isEmpty() && now - lastPoll >= POLL_MILLIS) {
            lastPoll = now;
            trials.heartbeat(trial.id());
            stop = trials.stopRequest(trial.id());
            if (stop.isEmpty()) {
                var study = studies.get(trial.studyId());
                if (study.stopNow()) {
                    stop = study.stopRequest().map(r -> "study stopped: " + r);
                }
            }
        }
        return stop;
    }
}
