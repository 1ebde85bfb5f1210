package dev.thaw.store;

/** A study file whose name is taken by a study that was run with a different study file. */
public final class StudyConflictException extends StoreException {
    public StudyConflictException(String message) {
        super(message);
    }
}
