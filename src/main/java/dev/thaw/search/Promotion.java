package dev.thaw.search;

import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.util.Optional;

/**
 * Which paused trial thaws next: the lowest-numbered PAUSED trial that the pruner, asked again with today's history,
 * lets go on. The study driver asks before it proposes a new trial for a free slot (a promotion comes first, as in
 * asynchronous successive halving), and the replay benchmark asks the same question the same way.
 */
public final class Promotion {
    private Promotion() {
    }

    /** The paused trial to thaw now, if any. */
    public static Optional<TrialHistory.Trial> next(Pruner pruner, TrialHistory history) {
        for (TrialHistory.Trial t : history.trials()) {
            if (t.state() == TrialState.PAUSED && !t.epochs().isEmpty()
                    && pruner.decide(history, t).action() == PruneDecision.Action.CONTINUE) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
