package dev.thaw.study;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A trial's lifecycle with its allowed transitions; the store refuses any other move.
 * QUEUED → RUNNING → COMPLETE | PRUNED | FAILED. A QUEUED trial may also fail to start (FAILED) or be cancelled
 * (PRUNED); a RUNNING trial whose process died goes back to QUEUED to be run again from scratch.
 */
public enum TrialState {
    QUEUED, RUNNING, COMPLETE, PRUNED, FAILED;

    private static final Map<TrialState, Set<TrialState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, PRUNED),
            RUNNING, EnumSet.of(COMPLETE, PRUNED, FAILED, QUEUED),
            COMPLETE, EnumSet.noneOf(TrialState.class),
            PRUNED, EnumSet.noneOf(TrialState.class),
            FAILED, EnumSet.noneOf(TrialState.class));

    public boolean canMoveTo(TrialState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean finished() {
        return ALLOWED.get(this).isEmpty();
    }
}
