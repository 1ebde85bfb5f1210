package dev.thaw.store;

/** The database could not be opened, read or written; the message says which and why in one line. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
