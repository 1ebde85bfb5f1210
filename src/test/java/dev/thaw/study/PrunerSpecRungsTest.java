package dev.thaw.study;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link PrunerSpec#rungs}: the one definition of rung arithmetic. */
class PrunerSpecRungsTest {
    private static PrunerSpec spec(int minEpochs, int eta) {
        return new PrunerSpec(PrunerSpec.Type.ASHA, minEpochs, eta, PrunerSpec.Mode.STOP, 1, 5);
    }

    @Test
    void etaTwo() {
        assertEquals(List.of(1, 2, 4, 8), spec(1, 2).rungs(16, 0), "16 itself is the end, not a rung");
        assertEquals(List.of(1, 2, 4, 8, 16), spec(1, 2).rungs(17, 0));
        assertEquals(List.of(1, 2, 4, 8, 16), spec(1, 2).rungs(20, 0));
        assertEquals(List.of(2, 4, 8), spec(1, 2).rungs(16, 1));
        assertEquals(List.of(8), spec(1, 2).rungs(16, 3));
        assertEquals(List.of(), spec(1, 2).rungs(16, 4));
        assertEquals(List.of(2, 4, 8, 16), spec(2, 2).rungs(20, 0));
        assertEquals(List.of(4, 8, 16), spec(2, 2).rungs(20, 1));
    }

    @Test
    void etaThree() {
        assertEquals(List.of(1, 3, 9), spec(1, 3).rungs(27, 0));
        assertEquals(List.of(3, 9), spec(1, 3).rungs(27, 1));
        assertEquals(List.of(9), spec(1, 3).rungs(27, 2));
        assertEquals(List.of(), spec(1, 3).rungs(27, 3));
        assertEquals(List.of(1, 3, 9), spec(1, 3).rungs(10, 0));
        assertEquals(List.of(1, 3), spec(1, 3).rungs(9, 0));
        assertEquals(List.of(2, 6, 18), spec(2, 3).rungs(20, 0));
        assertEquals(List.of(18), spec(2, 3).rungs(20, 2));
        assertEquals(List.of(), spec(2, 3).rungs(20, 3));
    }

    @Test
    void etaFour() {
        assertEquals(List.of(1, 4, 16, 64), spec(1, 4).rungs(100, 0));
        assertEquals(List.of(2, 8, 32), spec(2, 4).rungs(100, 0));
        assertEquals(List.of(8, 32), spec(2, 4).rungs(100, 1));
        assertEquals(List.of(2, 8), spec(2, 4).rungs(32, 0));
        assertEquals(List.of(2, 8, 32), spec(2, 4).rungs(33, 0));
    }

    @Test
    void aFirstRungNotBelowTheEpochsGivesNone() {
        assertEquals(List.of(), spec(1, 3).rungs(1, 0));
        assertEquals(List.of(), spec(2, 3).rungs(2, 0));
        assertEquals(List.of(2), spec(2, 3).rungs(3, 0));
        assertEquals(List.of(), spec(5, 2).rungs(3, 0));
    }

    @Test
    void largeBudgetsAndBracketsDoNotOverflow() {
        List<Integer> all = spec(1, 2).rungs(Integer.MAX_VALUE, 0);
        assertEquals(31, all.size());
        assertEquals(1 << 30, all.get(30));
        assertEquals(List.of(), spec(1, 4).rungs(Integer.MAX_VALUE, 100));
        assertEquals(List.of(), spec(1, 2).rungs(27, Integer.MAX_VALUE));
    }

    @Test
    void refusesNoEpochsAndANegativeBracket() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(1, 3).rungs(0, 0));
        assertEquals("rungs need epochs >= 1 and bracket >= 0, got epochs=0, bracket=0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(1, 3).rungs(27, -1));
    }
}
