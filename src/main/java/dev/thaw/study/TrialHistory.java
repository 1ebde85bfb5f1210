package dev.thaw.study;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every trial of a study as the store holds it, by number: what samplers (and pruners) decide from. A sampler given
 * the same history and the same random source proposes the same assignment, so a study continued after a crash, on
 * another node or with a larger budget proposes what it would have proposed without the interruption.
 */
public record TrialHistory(List<Trial> trials) {
    public static final TrialHistory EMPTY = new TrialHistory(List.of());

    public TrialHistory {
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingInt(Trial::number)); // already in order in the common case: one pass
        trials = java.util.Collections.unmodifiableList(sorted);
    }

    /**
     * One trial.
     *
     * @param assignment its active hyperparameters (inactive ones are absent)
     * @param score      the objective's final value, for a COMPLETE trial
     * @param epochs     its per-epoch values so far, epoch 1 first
     * @param baseline   the scratch baseline: outside the search, never learnt from
     * @param created    when it was recorded QUEUED; {@code started} when it last started, {@code finished} when it
     *                   ended
     * @param stopAsked  a stop was asked for this trial itself ({@code thaw stop --trial}, a page's stop button): a
     *                   decision about this proposal, unlike a study's stop, which cancels whatever is queued
     */
    public record Trial(int number, TrialState state, Assignment assignment, Optional<Double> score,
                        List<MetricPoint> epochs, boolean baseline, Instant created, Optional<Instant> started,
                        Optional<Instant> finished, boolean stopAsked) {
        public Trial {
            epochs = List.copyOf(epochs);
        }

        /** Queued or running: proposed, and being trained or about to be. A PAUSED trial is not pending. */
        public boolean pending() {
            return state.inFlight();
        }

        /**
         * Ended without ever starting, and not by a stop asked for it: cancelled while queued by a stop of its study
         * (or its max_time), or its job lost before it ran. A queued trial stopped on its own was turned down by a
         * user, and stays in the search: proposed again at once, it would come straight back.
         */
        public boolean withdrawn() {
            return state.finished() && started.isEmpty() && !stopAsked;
        }

        /** Finished with a score a sampler may learn from. */
        public boolean scored() {
            return state == TrialState.COMPLETE && score.isPresent();
        }
    }

    /**
     * The trials of the search, by number: the baseline left out, and trials withdrawn before they started (a study's
     * stop cancels its queued trials; the study continued proposes them again, as if the stop had not happened).
     */
    public List<Trial> search() {
        return trials.stream().filter(t -> !t.baseline() && !t.withdrawn()).toList();
    }

    /** This history with {@code trial} added, or in place of the trial with its number. */
    public TrialHistory with(Trial trial) {
        List<Trial> changed = new ArrayList<>(trials.size() + 1);
        for (Trial t : trials) {
            if (t.number() != trial.number()) {
                changed.add(t);
            }
        }
        changed.add(trial);
        return new TrialHistory(changed);
    }
}
