package dev.thaw.cli;

/** Bad input from the user that is not a study-file error (a missing file, an unknown study); exit code 2. */
final class UserException extends Exception {
    UserException(String message) {
        super(message);
    }
}
