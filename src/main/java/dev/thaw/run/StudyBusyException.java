package dev.thaw.run;

/**
 * A study that another live process drives; the run that gets it changed nothing of the study. The message says
 * which process drives it and since when, in one line.
 */
public final class StudyBusyException extends RuntimeException {
    private final String study;

    public StudyBusyException(String study, String message) {
        super(message);
        this.study = study;
    }

    /** The study's name. */
    public String study() {
        return study;
    }

    /** This refusal with {@code hint} (what the user can do about it) after its message. */
    public StudyBusyException withHint(String hint) {
        return new StudyBusyException(study, getMessage() + "; " + hint);
    }
}
