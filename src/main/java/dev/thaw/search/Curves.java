package dev.thaw.search;

import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialHistory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * What the pruners read from a trial's per-epoch objective ({@link MetricPoint#objective()}), and how their reasons
 * write numbers. A NaN objective (unknown: an old F1 epoch) counts as no value.
 */
final class Curves {
    /** Significant digits a reason shows unless two of its numbers need more to differ. */
    private static final int DIGITS = 4;

    private Curves() {
    }

    /** The epoch number of {@code trial}'s latest epoch; the trial has at least one. */
    static int lastEpoch(TrialHistory.Trial trial) {
        List<MetricPoint> epochs = trial.epochs();
        return epochs.get(epochs.size() - 1).epoch();
    }

    /** {@code trial}'s objective at {@code epoch}; NaN when it has not reached that epoch or the value is unknown. */
    static double at(TrialHistory.Trial trial, int epoch) {
        List<MetricPoint> epochs = trial.epochs();
        for (int i = epochs.size() - 1; i >= 0; i--) { // the latest record of an epoch wins
            if (epochs.get(i).epoch() == epoch) {
                return epochs.get(i).objective();
            }
        }
        return Double.NaN;
    }

    /**
     * {@code a} and {@code b} as plain decimals ("0.41", "0.7712"): four significant digits, or more (up to 17)
     * when four would show two different values as the same.
     */
    static String[] numbers(double a, double b) {
        for (int digits = DIGITS; digits < 17; digits++) {
            String x = number(a, digits);
            String y = number(b, digits);
            if (a == b || !x.equals(y)) {
                return new String[] {x, y};
            }
        }
        return new String[] {number(a, 17), number(b, 17)};
    }

    /** {@code v} as a plain decimal with four significant digits. */
    static String number(double v) {
        return number(v, DIGITS);
    }

    private static String number(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
