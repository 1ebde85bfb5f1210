package dev.thaw.web;

import dev.thaw.store.TrialCurve;
import dev.thaw.study.PrunerSpec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The plain data behind the chart of intermediate values: every search trial's objective by epoch with its state
 * and reason (the page marks where a pruned, paused or stopped trial's line ends), and the epochs of the rungs at
 * which the study's pruner compares trials, from {@link PrunerSpec#rungs} (ASHA's; for Hyperband, bracket 0's: a
 * later bracket's rungs start η^b times later).
 *
 * @param epochs   the study's epochs per trial (the chart's last epoch); empty when the stored study file does not
 *                 read
 * @param pruner   the pruner's type in the study file's words (none, median, asha, hyperband); empty when the study
 *                 file does not read
 * @param rungs    the rung epochs drawn, ascending; empty for no pruner, median, or an unread study file
 * @param rungNote what the rungs are, in one line of plain text for the page's legend
 * @param trials   by trial number; the scratch baseline and trials without a known objective are left out
 */
record EpochChart(Optional<Integer> epochs, Optional<String> pruner, List<Integer> rungs, String rungNote,
                  List<TrialCurve> trials) {
    EpochChart {
        rungs = List.copyOf(rungs);
        trials = List.copyOf(trials);
    }

    /** The chart of a study whose study file reads: its pruner and epochs per trial. */
    static EpochChart of(List<TrialCurve> trials, PrunerSpec pruner, int epochs) {
        String type = pruner.type().name().toLowerCase(Locale.ROOT);
        List<Integer> rungs = switch (pruner.type()) {
            case ASHA, HYPERBAND -> pruner.rungs(epochs, 0);
            case NONE, MEDIAN -> List.of();
        };
        String eta = "η=" + pruner.reductionFactor();
        String at = rungs.isEmpty() ? "none below the study's " + epochs + " epochs"
                : "epochs " + rungs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String losers = pruner.pauses() ? "the rest pause" : "the rest are pruned";
        String note = switch (pruner.type()) {
            case NONE -> "No pruner: every trial runs its " + epochs + " epochs.";
            case MEDIAN -> "Median pruner: no rungs; from epoch " + pruner.warmupEpochs() + " on, a trial worse than "
                    + "the median of the others at the same epoch is pruned.";
            case ASHA -> "ASHA rungs (" + eta + "): " + at + "; the top 1/" + pruner.reductionFactor() + " go on, "
                    + losers + ".";
            case HYPERBAND -> "Hyperband: bracket 0's rungs (" + eta + "): " + at + "; bracket b's start "
                    + pruner.reductionFactor() + "^b times later; " + losers + ".";
        };
        return new EpochChart(Optional.of(epochs), Optional.of(type), rungs, note, trials);
    }

    /** The chart of a study whose stored study file does not read: its curves, no rungs. */
    static EpochChart unread(List<TrialCurve> trials) {
        return new EpochChart(Optional.empty(), Optional.empty(), List.of(), "The study file does not read here: "
                + "no rungs drawn.", trials);
    }
}
