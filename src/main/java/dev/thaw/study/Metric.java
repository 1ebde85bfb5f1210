package dev.thaw.study;

import java.util.List;
import java.util.Optional;

/** A metric a study may rank its trials by; read from a finished trial's {@link TrialResult}. */
public enum Metric {
    VAL_ACCURACY(Direction.MAXIMIZE, false),
    VAL_F1(Direction.MAXIMIZE, false),
    VAL_LOSS(Direction.MINIMIZE, false),
    TEST_ACCURACY(Direction.MAXIMIZE, true),
    TEST_F1(Direction.MAXIMIZE, true);

    private final Direction natural;
    private final boolean needsTestData;

    Metric(Direction natural, boolean needsTestData) {
        this.natural = natural;
        this.needsTestData = needsTestData;
    }

    public Direction naturalDirection() {
        return natural;
    }

    public boolean needsTestData() {
        return needsTestData;
    }

    /** The trial's score: with k folds, a validation metric is the mean over the folds. */
    public double of(TrialResult result) {
        if (result.folds().size() > 1 && !needsTestData) {
            return perFold(result).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
        return switch (this) {
            case VAL_ACCURACY -> result.validation().accuracy();
            case VAL_F1 -> result.validation().f1();
            case VAL_LOSS -> result.validationLoss();
            case TEST_ACCURACY -> result.test().orElseThrow().accuracy();
            case TEST_F1 -> result.test().orElseThrow().f1();
        };
    }

    /**
     * The objective's value at the end of one epoch, from that epoch's validation report and loss: what
     * {@link MetricPoint#objective()} records and pruners compare. A {@code test_} metric is followed on validation
     * data during training (the test split is looked at once, at the end); with k folds, call it per fold and average.
     */
    public double ofEpoch(ClassificationReport validation, double validationLoss) {
        return switch (this) {
            case VAL_ACCURACY, TEST_ACCURACY -> validation.accuracy();
            case VAL_F1, TEST_F1 -> validation.f1();
            case VAL_LOSS -> validationLoss;
        };
    }

    /** The standard deviation of a validation metric over k folds; empty without folds or for a test metric. */
    public Optional<Double> spread(TrialResult result) {
        if (result.folds().size() < 2 || needsTestData) {
            return Optional.empty();
        }
        List<Double> values = perFold(result);
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
        return Optional.of(Math.sqrt(variance));
    }

    private List<Double> perFold(TrialResult result) {
        List<Double> values = new java.util.ArrayList<>();
        for (int f = 0; f < result.folds().size(); f++) {
            values.add(switch (this) {
                case VAL_ACCURACY -> result.folds().get(f).accuracy();
                case VAL_F1 -> result.folds().get(f).f1();
                case VAL_LOSS -> result.foldLosses().get(f);
                default -> throw new IllegalStateException(this + " is not a validation metric");
            });
        }
        return values;
    }

    public String key() {
        return Keys.of(this);
    }

    public static Optional<Metric> parse(String key) {
        return Keys.parse(values(), key);
    }

    public static String keys() {
        return Keys.list(values());
    }
}
