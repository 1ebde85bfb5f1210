package dev.thaw.study;

/**
 * Text from a file, a database or a request made safe to show on one terminal line: every character that a terminal
 * would act on instead of showing becomes a visible {@code \}{@code uXXXX}. Those are the control characters (C0 with
 * line breaks, NUL and the ESC that starts colour and cursor sequences; DEL; C1), the Unicode line and paragraph
 * separators, and the bidirectional formatting characters that reorder what follows them on screen (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069).
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with each character that {@link #acts} as {@code \}{@code uXXXX}; null as "null". */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        if (text.chars().noneMatch(Printable::acts)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (acts(c)) {
                b.append(escape(c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    /** {@code c} as the six visible characters {@code \}{@code uXXXX}. */
    public static String escape(int c) {
        return String.format("\\u%04x", c);
    }

    /**
     * True for a character a terminal acts on rather than shows: a control character (U+0000..U+001F, U+007F,
     * U+0080..U+009F), a line or paragraph separator (U+2028, U+2029), or a bidirectional formatting character.
     * All are single UTF-16 chars, so a {@code char} may be passed.
     */
    public static boolean acts(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The first line of {@code e}'s message, trimmed, or its class's simple name when it has no message. */
    public static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.lines().findFirst().orElse(msg).trim();
    }
}
