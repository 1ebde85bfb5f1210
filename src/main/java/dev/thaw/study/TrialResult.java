package dev.thaw.study;

import java.util.List;
import java.util.Optional;

/**
 * What a finished trial produced: final validation (and, if configured, test) scores and the epochs it ran. With
 * k-fold cross-validation, {@code folds} holds each fold's validation report and {@code foldLosses} its loss;
 * {@code validation} is then the folds' summed confusion and {@code validationLoss} their mean. {@code misclassified}
 * are the validation images the model was most confident about and got wrong, most confident first.
 */
public record TrialResult(ClassificationReport validation, double validationLoss,
                          Optional<ClassificationReport> test, int epochs, List<ClassificationReport> folds,
                          List<Double> foldLosses, List<Misclassification> misclassified) {
    public TrialResult {
        folds = List.copyOf(folds);
        foldLosses = List.copyOf(foldLosses);
        misclassified = List.copyOf(misclassified);
        if (folds.size() != foldLosses.size()) {
            throw new IllegalArgumentException("one loss per fold: " + folds.size() + " vs " + foldLosses.size());
        }
    }

    /** A trial validated on one held-out split. */
    public TrialResult(ClassificationReport validation, double validationLoss, Optional<ClassificationReport> test,
                       int epochs) {
        this(validation, validationLoss, test, epochs, List.of(), List.of(), List.of());
    }
}
