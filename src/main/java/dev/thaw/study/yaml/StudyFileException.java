package dev.thaw.study.yaml;

import dev.thaw.study.Printable;

/**
 * A study file that cannot be used; the message is one line naming the field path and line number. Text quoted from
 * the file is shown with its control characters escaped ({@link Printable}), so a message is always one clean line.
 */
public final class StudyFileException extends Exception {
    public StudyFileException(String message) {
        super(Printable.of(message));
    }

    static StudyFileException at(String path, int line, String problem) {
        String where = path.isEmpty() ? "" : path + ": ";
        return new StudyFileException(where + problem + (line > 0 ? " (line " + line + ")" : ""));
    }
}
