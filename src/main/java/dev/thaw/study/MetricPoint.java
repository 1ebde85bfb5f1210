package dev.thaw.study;

/** One epoch of one trial: mean training loss, validation loss and validation accuracy. */
public record MetricPoint(int epoch, double trainLoss, double validationLoss, double validationAccuracy) {
    public MetricPoint {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch counts from 1, got " + epoch);
        }
    }
}
