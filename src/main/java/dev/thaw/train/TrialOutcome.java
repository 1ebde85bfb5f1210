package dev.thaw.train;

import dev.thaw.study.TrialResult;

/** A trial that ran to its end (or was stopped early by its listener): its scores and its trained model. */
public record TrialOutcome(TrialResult result, TrainedModel model, boolean stoppedEarly) {
}
