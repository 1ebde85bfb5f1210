package dev.thaw.study;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LrScheduleTest {
    private static double[] factors(LrSchedule s, int epochs) {
        return IntStream.range(0, epochs).mapToDouble(e -> s.factor(e, epochs)).toArray();
    }

    @Test
    void everyScheduleStartsAtTheFullRateAndFollowsItsShape() {
        assertArrayEquals(new double[]{1, 1, 1}, factors(LrSchedule.NONE, 3));
        assertArrayEquals(new double[]{1, 1, 0.5, 0.5, 0.25, 0.25}, factors(LrSchedule.STEP, 6));
        assertArrayEquals(new double[]{1, Math.pow(0.1, 0.25), Math.pow(0.1, 0.5), Math.pow(0.1, 0.75)},
                factors(LrSchedule.EXPONENTIAL, 4), 1e-12);
        assertArrayEquals(new double[]{1, 0.75, 0.25}, factors(LrSchedule.COSINE, 3), 1e-12);
        assertEquals(1.0, LrSchedule.STEP.factor(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.COSINE.factor(-1, 3));
    }
}
