package dev.thaw.train;

import dev.thaw.study.MetricPoint;

/** Told after every epoch of a trial, on the trial's thread; returns false to stop the trial after this epoch. */
@FunctionalInterface
public interface EpochListener {
    boolean onEpoch(MetricPoint point);
}
