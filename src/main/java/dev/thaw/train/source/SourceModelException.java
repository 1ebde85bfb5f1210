package dev.thaw.train.source;

/** A source model that does not fit its study; the message names the field and the fix in one line. */
public final class SourceModelException extends Exception {
    public SourceModelException(String message) {
        super(message);
    }
}
