package dev.thaw.study;

import java.util.Optional;

/** What a finished trial produced: final validation (and, if configured, test) scores and the epochs it ran. */
public record TrialResult(ClassificationReport validation, double validationLoss,
                          Optional<ClassificationReport> test, int epochs) {
}
