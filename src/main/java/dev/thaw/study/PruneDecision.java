package dev.thaw.study;

/**
 * What a pruner decides for a trial after one of its epochs: go on, end it (PRUNED), or pause it at its rung, its
 * checkpoint kept, until later results promote it. {@code reason} says why in numbers, for example "epoch 2: 0.41 is
 * below the median 0.77 of 6 trials"; it is recorded with the trial and shown as it is.
 */
public record PruneDecision(Action action, String reason) {
    /** Go on: the decision for every epoch that is not a rung, and for a trial promoted at its rung. */
    public static final PruneDecision CONTINUE = new PruneDecision(Action.CONTINUE, "");

    public enum Action { CONTINUE, PRUNE, PAUSE }

    public PruneDecision {
        if (action == null || reason == null) {
            throw new IllegalArgumentException("a decision needs an action and a reason");
        }
        if (action != Action.CONTINUE && reason.isBlank()) {
            throw new IllegalArgumentException("a " + action + " decision needs a reason");
        }
    }

    public static PruneDecision prune(String reason) {
        return new PruneDecision(Action.PRUNE, reason);
    }

    public static PruneDecision pause(String reason) {
        return new PruneDecision(Action.PAUSE, reason);
    }
}
