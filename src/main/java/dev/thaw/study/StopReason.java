package dev.thaw.study;

/**
 * The one check of a stop reason, before it is recorded and shown on terminals and pages: 1 to {@value #MAX_LENGTH}
 * characters of plain text on one line. Refused are control characters (C0, DEL, C1: line breaks, terminal escape
 * sequences) and bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
 * which make a line read differently from what it holds.
 */
public final class StopReason {
    /** The most characters (code points) a reason may have. */
    public static final int MAX_LENGTH = 500;

    private StopReason() {
    }

    /**
     * Returns {@code reason} when it may be recorded.
     *
     * @throws IllegalArgumentException naming the problem (missing, too long, or the first refused character and
     *                                  its position, counted from 1) and the fix
     */
    public static String check(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a stop needs a reason: say in a few words why");
        }
        int length = reason.codePointCount(0, reason.length());
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("a stop reason may have at most " + MAX_LENGTH + " characters, got "
                    + length + "; shorten it");
        }
        int position = 0;
        for (int i = 0; i < reason.length(); i += Character.charCount(reason.codePointAt(i))) {
            int c = reason.codePointAt(i);
            position++;
            if (Printable.acts(c) || Character.isSurrogate((char) c)) {
                throw new IllegalArgumentException(String.format("a stop reason may not contain control, line "
                        + "separator, bidirectional formatting or unpaired surrogate characters (U+%04X at character "
                        + "%d); write it as plain text on one line", c, position));
            }
        }
        return reason;
    }
}
