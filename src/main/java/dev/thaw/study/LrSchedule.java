package dev.thaw.study;

import java.util.Optional;

/**
 * How the learning rate changes over a trial's epochs, as a factor of {@code learning_rate} at epoch e (from 0)
 * of E: {@code none} 1; {@code step} halves every ⌈E/3⌉ epochs; {@code exponential} decays smoothly to 0.1 at
 * epoch E; {@code cosine} anneals along half a cosine from 1 towards 0.
 */
public enum LrSchedule {
    NONE, STEP, EXPONENTIAL, COSINE;

    public double factor(int epoch, int epochs) {
        if (epoch < 0 || epochs < 1) {
            throw new IllegalArgumentException("epoch >= 0 and epochs >= 1 must hold, got " + epoch + " of " + epochs);
        }
        return switch (this) {
            case NONE -> 1.0;
            case STEP -> Math.pow(0.5, epoch / (int) Math.ceil(epochs / 3.0));
            case EXPONENTIAL -> Math.pow(0.1, (double) epoch / epochs);
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
        };
    }

    public String key() {
        return Keys.of(this);
    }

    public static Optional<LrSchedule> parse(String key) {
        return Keys.parse(values(), key);
    }

    public static String keys() {
        return Keys.list(values());
    }
}
