package dev.thaw.store;

/** A trial state change that {@link dev.thaw.study.TrialState}'s transition table does not allow. */
public final class IllegalTransitionException extends StoreException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
