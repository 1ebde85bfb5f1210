package dev.thaw.run;

import dev.thaw.search.NopPruner;
import dev.thaw.search.Pruner;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;
import dev.thaw.train.fit.TrialControl;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Connects a running trial to the store: records each epoch and asks the study's pruner about it, heartbeats, and
 * reads stop requests for the trial or (stop --now) its study, at most once per {@code POLL_MILLIS} so that the
 * per-batch check stays cheap.
 */
final class StoreControl implements TrialControl {
    static final long POLL_MILLIS = 500;

    private final StudyStore studies;
    private final TrialStore trials;
    private final TrialRecord trial;
    private final int epochs;
    private final Clock clock;
    private final RunListener listener;
    private final Pruner pruner;
    private final Path checkpointDir;
    private final OptionalInt resumeAfter;
    private long lastPoll;
    private Optional<String> stop = Optional.empty();

    /**
     * @param pruner        asked after every epoch of a search trial (never for the baseline)
     * @param checkpointDir this trial's checkpoint folder
     * @param resumeAfter   the epoch of the checkpoint this run resumes from; empty for a fresh start
     */
    StoreControl(StudyStore studies, TrialStore trials, TrialRecord trial, int epochs, Clock clock,
                 RunListener listener, Pruner pruner, Path checkpointDir, OptionalInt resumeAfter) {
        this.studies = studies;
        this.trials = trials;
        this.trial = trial;
        this.epochs = epochs;
        this.clock = clock;
        this.listener = listener;
        this.pruner = pruner;
        this.checkpointDir = checkpointDir;
        this.resumeAfter = resumeAfter;
        this.lastPoll = clock.millis();
    }

    @Override
    public void note(String line) {
        listener.trialNote(trial, line);
    }

    @Override
    public PruneDecision epochFinished(MetricPoint point) {
        trials.recordEpoch(trial.id(), point);
        listener.epochFinished(trial, point, epochs);
        // a study without a pruner reads no history: every epoch of every trial would otherwise read the whole study
        if (trial.baseline() || point.epoch() >= epochs || pruner instanceof NopPruner) {
            return PruneDecision.CONTINUE;
        }
        TrialHistory history = trials.history(trial.studyId());
        return history.trials().stream().filter(t -> t.number() == trial.number()).findFirst()
                .map(t -> pruner.decide(history, t))
                .orElse(PruneDecision.CONTINUE);
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

    @Override
    public Path checkpointDir() {
        return checkpointDir;
    }

    @Override
    public OptionalInt resumeAfter() {
        return resumeAfter;
    }
}
