package dev.thaw.search;

import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;

/** The pruner of a study without one ({@code pruner: none}): every trial runs all its epochs. */
public final class NopPruner implements Pruner {
    @Override
    public PruneDecision decide(TrialHistory history, TrialHistory.Trial trial) {
        return PruneDecision.CONTINUE;
    }
}
