package dev.thaw.study;

/**
 * Text from a file or a request made safe to show on one terminal line: every control character (line breaks,
 * NUL, escape sequences that would recolour or move a terminal's cursor) becomes a visible {@code \}{@code uXXXX}.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with each control character as {@code \}{@code uXXXX}; null as "null". */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        if (text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
