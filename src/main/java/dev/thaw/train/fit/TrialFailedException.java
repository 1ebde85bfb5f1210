package dev.thaw.train.fit;

/** A trial that could not finish; the message is the one-line reason recorded with it. */
public final class TrialFailedException extends Exception {
    public TrialFailedException(String reason) {
        super(reason);
    }

    public TrialFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
