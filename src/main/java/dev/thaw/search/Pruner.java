package dev.thaw.search;

import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;

/**
 * Decides whether a trial goes on after an epoch: the one question a pruner answers. Called with the study's history
 * as the store holds it, {@code trial}'s epochs included up to its latest one:
 * <ul>
 *   <li>by a running trial after each epoch is recorded, on the trial's slot thread (never for the baseline);</li>
 *   <li>by the study driver for each PAUSED trial, on the driver's thread: {@link PruneDecision#CONTINUE} then means
 *   that later results promote it, and it thaws.</li>
 * </ul>
 * An implementation keeps no state between calls (several nodes and threads ask at once, and a study continued after
 * a crash must decide as before); the same history and trial give the same decision.
 */
public interface Pruner {

    /**
     * What {@code trial} does after its latest epoch ({@code trial.epochs()}'s last).
     *
     * @param history every trial of the study, {@code trial} included
     * @param trial   a running or paused search trial with at least one epoch
     */
    PruneDecision decide(TrialHistory history, TrialHistory.Trial trial);
}
