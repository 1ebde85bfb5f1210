package dev.thaw.study;

/**
 * One epoch of one trial: mean training loss, validation loss, validation accuracy, and the value of the study's
 * objective at this epoch ({@link Metric#ofEpoch}: for a {@code test_} metric, its validation counterpart), which is
 * what pruners compare. With k folds each value is the folds' mean. {@code objective} is NaN for epochs recorded
 * before Thaw kept it (an F1 objective's old epochs).
 */
public record MetricPoint(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                          double objective) {
    public MetricPoint {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch counts from 1, got " + epoch);
        }
    }
}
