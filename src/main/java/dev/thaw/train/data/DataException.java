package dev.thaw.train.data;

import java.io.IOException;

/**
 * The study's images do not fit the study: a class with too few images, a test split without a class, a file that is
 * not an image. Bad input, not a failure of the machine: the message is one line that starts with the study-file field
 * to change ({@code data.classes: ...}) and says the fix.
 */
public final class DataException extends IOException {
    public DataException(String message) {
        super(message);
    }
}
