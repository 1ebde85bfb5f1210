package dev.thaw.study;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11, case 7: the one check of a stop reason, which the API and {@code thaw stop} both call. */
class StopReasonTest {
    @Test
    void plainTextOfUpTo500CharactersPasses() {
        for (String ok : List.of("enough", "x".repeat(500), "café — naïve 数据 🙂", "a\u00a0b", "\uD83D\uDE00".repeat(500))) {
            assertEquals(ok, StopReason.check(ok));
        }
    }

    @Test
    void controlAndBidiCharactersAreRefusedNamingTheFirst() {
        for (int c : new int[]{0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x061C, 0x200E,
                0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029,
                0xD800, 0xDC00}) {
            String reason = "ok " + Character.toString(c) + " then";
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StopReason.check(reason),
                    Integer.toHexString(c));
            assertTrue(e.getMessage().contains(String.format("U+%04X at character 4", c)), e.getMessage());
        }
    }

    @Test
    void aMissingBlankOrLongReasonIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StopReason.check(null)).getMessage()
                .contains("needs a reason"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StopReason.check("  ")).getMessage()
                .contains("needs a reason"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StopReason.check("x".repeat(501))).getMessage()
                .contains("at most 500 characters, got 501"));
    }
}
