package dev.thaw.run;

import dev.thaw.store.KeptFile;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.OutputSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.train.fit.TrainedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps trained models on disk as {@code output.keep_models} says: every one, none, or only the best so far
 * (a new best replaces the old one's file), so that a long study does not fill the disk. One keeper serves all
 * slots of a node; it takes one model at a time.
 */
final class ModelKeeper {
    static final String MODEL = "model";

    private final TrialStore trials;

    ModelKeeper(TrialStore trials) {
        this.trials = trials;
    }

    static Path modelPath(StudySpec spec, int trialNumber) {
        return KeptFile.folder(spec.output().dir(), spec.name()).resolve("trial-" + trialNumber + ".zip");
    }

    synchronized void offer(StudySpec spec, TrialRecord trial, TrainedModel model) {
        OutputSpec.KeepModels keep = spec.output().keepModels();
        if (keep == OutputSpec.KeepModels.NONE) {
            return;
        }
        if (keep == OutputSpec.KeepModels.BEST) {
            Optional<TrialRecord> best = trials.best(trial.studyId(), spec.direction());
            if (best.isEmpty() || best.get().id() != trial.id()) {
                return;
            }
        }
        Path path = modelPath(spec, trial.number());
        try {
            model.save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model of trial " + trial.number() + " to " + path, e);
        }
        trials.putArtifact(trial.id(), MODEL, path);
        if (keep == OutputSpec.KeepModels.BEST) {
            for (var replaced : trials.artifacts(trial.studyId(), MODEL).entrySet()) {
                if (replaced.getKey() != trial.id()) {
                    replaced.getValue().file().ifPresent(ModelKeeper::delete); // never a file outside the folder
                    trials.removeArtifact(replaced.getKey(), MODEL);
                }
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the replaced model " + path, e);
        }
    }
}
