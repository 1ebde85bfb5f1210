package dev.thaw.export;

/** An export that cannot be made; the message says why and what to do in one line. */
public final class ExportException extends Exception {
    public ExportException(String message) {
        super(message);
    }
}
