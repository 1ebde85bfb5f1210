package dev.thaw.web;

import dev.thaw.study.PrunerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rungs the chart of intermediate values draws, for each pruner. */
class EpochChartTest {
    private static PrunerSpec pruner(PrunerSpec.Type type, int min, int eta, PrunerSpec.Mode mode) {
        return new PrunerSpec(type, min, eta, mode, 1, 5);
    }

    @Test
    void ashaDrawsItsRungsBelowTheStudysEpochs() {
        EpochChart c = EpochChart.of(List.of(), pruner(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.STOP), 10);
        assertEquals(List.of(1, 3, 9), c.rungs());
        assertEquals("ASHA rungs (η=3): epochs 1, 3, 9; the top 1/3 go on, the rest are pruned.", c.rungNote());
        EpochChart paused = EpochChart.of(List.of(), pruner(PrunerSpec.Type.ASHA, 2, 2, PrunerSpec.Mode.PAUSE), 16);
        assertEquals(List.of(2, 4, 8), paused.rungs());
        assertTrue(paused.rungNote().endsWith("the rest pause."), paused.rungNote());
        EpochChart none = EpochChart.of(List.of(), pruner(PrunerSpec.Type.ASHA, 4, 2, PrunerSpec.Mode.STOP), 4);
        assertEquals(List.of(), none.rungs());
        assertTrue(none.rungNote().contains("none below the study's 4 epochs"), none.rungNote());
    }

    @Test
    void hyperbandDrawsBracketZerosRungsAndSaysSo() {
        EpochChart c = EpochChart.of(List.of(), pruner(PrunerSpec.Type.HYPERBAND, 1, 3, PrunerSpec.Mode.STOP), 27);
        assertEquals(List.of(1, 3, 9), c.rungs());
        assertTrue(c.rungNote().startsWith("Hyperband: bracket 0's rungs (η=3): epochs 1, 3, 9; bracket b's start "
                + "3^b times later"), c.rungNote());
    }

    @Test
    void medianAndNoPrunerHaveNoRungs() {
        EpochChart median = EpochChart.of(List.of(), new PrunerSpec(PrunerSpec.Type.MEDIAN, 1, 3,
                PrunerSpec.Mode.STOP, 2, 5), 10);
        assertEquals(List.of(), median.rungs());
        assertEquals("median", median.pruner().orElseThrow());
        assertTrue(median.rungNote().contains("from epoch 2 on"), median.rungNote());
        EpochChart none = EpochChart.of(List.of(), PrunerSpec.NONE, 10);
        assertEquals(List.of(), none.rungs());
        assertEquals("none", none.pruner().orElseThrow());
        EpochChart unread = EpochChart.unread(List.of());
        assertTrue(unread.pruner().isEmpty() && unread.epochs().isEmpty() && unread.rungs().isEmpty());
    }
}
