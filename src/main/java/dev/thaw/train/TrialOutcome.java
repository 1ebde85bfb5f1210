package dev.thaw.train;

import dev.thaw.study.TrialResult;

import java.util.Optional;

/** A trial that ran to its end, or was stopped early with a reason: its scores and its trained model. */
public record TrialOutcome(TrialResult result, TrainedModel model, Optional<String> stopReason) {
}
