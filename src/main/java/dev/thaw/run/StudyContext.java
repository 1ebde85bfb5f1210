package dev.thaw.run;

import dev.thaw.study.StudySpec;
import dev.thaw.train.fit.TrialTrainer;

/** A study as one node runs it: its spec, a trainer for its trials, and the provenance this node adds. */
public record StudyContext(StudySpec spec, TrialTrainer trainer, RunEnvironment environment) {
}
