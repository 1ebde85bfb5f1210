package dev.thaw.study.yaml;

/** A study file that cannot be used; the message is one line naming the field path and line number. */
public final class StudyFileException extends Exception {
    public StudyFileException(String message) {
        super(message);
    }

    static StudyFileException at(String path, int line, String problem) {
        String where = path.isEmpty() ? "" : path + ": ";
        return new StudyFileException(where + problem + (line > 0 ? " (line " + line + ")" : ""));
    }
}
