package dev.thaw.run;

import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.StudyStatus;

import java.util.NoSuchElementException;

/** {@link StudyControl} through stop requests in the store, which drivers and running trials poll. */
public final class StoreStudyControl implements StudyControl {
    private final StudyStore studies;
    private final TrialStore trials;

    public StoreStudyControl(StudyStore studies, TrialStore trials) {
        this.studies = studies;
        this.trials = trials;
    }

    @Override
    public boolean stopTrial(long studyId, int number, String reason) {
        StudyRecord study = study(studyId);
        TrialRecord trial = trials.list(study.id()).stream().filter(t -> t.number() == number).findFirst()
                .orElseThrow(() -> new NoSuchElementException("study '" + study.name() + "' has no trial " + number));
        if (trial.state() == dev.thaw.study.TrialState.PAUSED) {
            try {
                var checkpoint = trials.stopPaused(trial.id(), reason); // no process runs it: it stops here
                var outputDir = studies.outputDir(study.id());
                if (checkpoint.isPresent() && outputDir.isPresent()) {
                    Checkpoints.delete(Checkpoints.folder(outputDir.get(), study.name()), checkpoint.get());
                }
                return true;
            } catch (dev.thaw.store.IllegalTransitionException e) {
                trial = trials.get(trial.id()); // thawed meanwhile: it is queued or running, and stops as they do
            }
        }
        if (!trials.requestStop(trial.id(), reason)) {
            throw new IllegalStateException("trial " + number + " of '" + study.name() + "' already ended "
                    + trials.get(trial.id()).state());
        }
        return false;
    }

    @Override
    public void stopStudy(long studyId, String reason, boolean now) {
        StudyRecord study = study(studyId);
        if (study.status() != StudyStatus.RUNNING) {
            throw new IllegalStateException("study '" + study.name() + "' is not running; it is " + study.status());
        }
        studies.requestStop(study.id(), reason, now);
    }

    private StudyRecord study(long studyId) {
        return studies.find(studyId).orElseThrow(() -> new NoSuchElementException("no study with id " + studyId));
    }
}
