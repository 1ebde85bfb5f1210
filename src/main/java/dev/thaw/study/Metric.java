package dev.thaw.study;

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

    public double of(TrialResult result) {
        return switch (this) {
            case VAL_ACCURACY -> result.validation().accuracy();
            case VAL_F1 -> result.validation().f1();
            case VAL_LOSS -> result.validationLoss();
            case TEST_ACCURACY -> result.test().orElseThrow().accuracy();
            case TEST_F1 -> result.test().orElseThrow().f1();
        };
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
