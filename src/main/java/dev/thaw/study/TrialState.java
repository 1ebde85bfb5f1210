package dev.thaw.study;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A trial's lifecycle with its allowed transitions; the store refuses any other move.
 * <ul>
 *   <li>QUEUED → RUNNING → COMPLETE | PRUNED (ended early by the study's pruner) | STOPPED (by a user, a study's stop
 *   or its max_time) | FAILED.</li>
 *   <li>RUNNING → PAUSED: the pruner set it aside at a rung, its checkpoint kept; PAUSED → QUEUED when later
 *   results promote it (it thaws and resumes from the checkpoint), PAUSED → STOPPED when a user stops it.</li>
 *   <li>QUEUED → FAILED | STOPPED: it could not start, or was stopped before it started; QUEUED → PAUSED: a thawed
 *   trial whose study stopped before it resumed keeps its checkpoint.</li>
 *   <li>RUNNING → QUEUED: its process died; it runs again from its checkpoint, or from scratch without one.</li>
 * </ul>
 */
public enum TrialState {
    QUEUED, RUNNING, PAUSED, COMPLETE, PRUNED, STOPPED, FAILED;

    private static final Map<TrialState, Set<TrialState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, STOPPED, PAUSED),
            RUNNING, EnumSet.of(COMPLETE, PRUNED, STOPPED, FAILED, QUEUED, PAUSED),
            PAUSED, EnumSet.of(QUEUED, STOPPED),
            COMPLETE, EnumSet.noneOf(TrialState.class),
            PRUNED, EnumSet.noneOf(TrialState.class),
            STOPPED, EnumSet.noneOf(TrialState.class),
            FAILED, EnumSet.noneOf(TrialState.class));

    public boolean canMoveTo(TrialState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Ended for good: no move leads out of it. PAUSED is not finished, but it is not in flight either. */
    public boolean finished() {
        return ALLOWED.get(this).isEmpty();
    }

    /** Queued or running: holding, or about to hold, a slot. */
    public boolean inFlight() {
        return this == QUEUED || this == RUNNING;
    }
}
