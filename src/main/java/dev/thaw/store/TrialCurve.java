package dev.thaw.store;

import dev.thaw.study.TrialState;

import java.util.List;
import java.util.Optional;

/**
 * One search trial's objective by epoch (its intermediate values), with its state and the reason it was pruned,
 * stopped or paused. {@code points} hold the epochs whose objective is known, epoch 1 first.
 */
public record TrialCurve(int number, TrialState state, Optional<String> reason, List<Point> points) {
    public TrialCurve {
        points = List.copyOf(points);
    }

    /** The objective's value after {@code epoch}. */
    public record Point(int epoch, double value) {
    }
}
