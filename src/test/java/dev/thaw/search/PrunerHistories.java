package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-built histories for pruner tests: trials given by their objective at epochs 1, 2, ... */
final class PrunerHistories {
    private PrunerHistories() {
    }

    /**
     * Search trial {@code number} in {@code state} with these objectives at epochs 1, 2, ...; a COMPLETE trial's
     * score is its last value. Its assignment is {@code x = number}.
     */
    static TrialHistory.Trial trial(int number, TrialState state, double... objectives) {
        List<MetricPoint> epochs = new ArrayList<>();
        for (int e = 0; e < objectives.length; e++) {
            epochs.add(new MetricPoint(e + 1, 1.0, 1.0, objectives[e], objectives[e]));
        }
        Optional<Double> score = state == TrialState.COMPLETE && objectives.length > 0
                ? Optional.of(objectives[objectives.length - 1]) : Optional.empty();
        TrialHistory.Trial t = SequentialStudy.trial(number, new Assignment(Map.of("x", (double) number)), state,
                score);
        return new TrialHistory.Trial(number, state, t.assignment(), score, epochs, false, t.created(),
                t.started().isPresent() ? t.started() : Optional.of(t.created()), t.finished(), false);
    }

    /** The scratch baseline, COMPLETE, numbered {@code number}, with these objectives. */
    static TrialHistory.Trial baseline(int number, double... objectives) {
        TrialHistory.Trial t = trial(number, TrialState.COMPLETE, objectives);
        return new TrialHistory.Trial(number, t.state(), t.assignment(), t.score(), t.epochs(), true, t.created(),
                t.started(), t.finished(), false);
    }

    /** {@code trial} cut to its first {@code epochs} epochs, in {@code state}. */
    static TrialHistory.Trial upTo(TrialHistory.Trial trial, int epochs, TrialState state) {
        double[] values = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            values[e] = trial.epochs().get(e).objective();
        }
        return trial.baseline() ? baseline(trial.number(), values) : trial(trial.number(), state, values);
    }

    /** {@code trial} with every objective negated (the same curve for the opposite direction). */
    static TrialHistory.Trial negated(TrialHistory.Trial trial) {
        double[] values = new double[trial.epochs().size()];
        for (int e = 0; e < values.length; e++) {
            values[e] = -trial.epochs().get(e).objective();
        }
        return trial.baseline() ? baseline(trial.number(), values) : trial(trial.number(), trial.state(), values);
    }

    /** Objectives {@code value} at each of {@code epochs} epochs. */
    static double[] flat(double value, int epochs) {
        double[] out = new double[epochs];
        java.util.Arrays.fill(out, value);
        return out;
    }

    static TrialHistory of(TrialHistory.Trial... trials) {
        return new TrialHistory(List.of(trials));
    }

    static TrialHistory of(List<TrialHistory.Trial> trials) {
        return new TrialHistory(trials);
    }
}
