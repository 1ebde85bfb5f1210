package dev.thaw.run;

/** A study that another live process is already running. */
public final class StudyBusyException extends RuntimeException {
    public StudyBusyException(String message) {
        super(message);
    }
}
