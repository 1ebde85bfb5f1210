package dev.thaw.study;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which characters {@link Printable} makes visible, and that it leaves every other one alone. */
class PrintableTest {
    @Test
    void controlCharactersSeparatorsAndBidiFormattingBecomeVisible() {
        int[] acting = {0x00, 0x07, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f, 0x2028, 0x2029, 0x061c,
                0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069};
        for (int c : acting) {
            assertTrue(Printable.acts(c), Integer.toHexString(c));
            assertEquals("a" + String.format("\\u%04x", c) + "b", Printable.of("a" + (char) c + "b"));
        }
        assertEquals("\\u202eevil\\u202c \\u001b[31mred \\u2067x\\u2069",
                Printable.of("\u202eevil\u202c \u001b[31mred \u2067x\u2069"));
    }

    @Test
    void printableTextIsLeftAsItIs() {
        String text = "adam café 日本 \uD83D\uDE00 a\u200Db \u00A0 ~ \\u001b";
        for (char c : text.toCharArray()) {
            assertFalse(Printable.acts(c), Integer.toHexString(c));
        }
        assertSame(text, Printable.of(text));
        assertEquals("null", Printable.of(null));
        assertEquals("\uD83D\uDE00\\u001b", Printable.of("\uD83D\uDE00\u001b"), "a surrogate pair stays whole");
    }
}
