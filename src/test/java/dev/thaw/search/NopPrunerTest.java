package dev.thaw.search;

import dev.thaw.study.Direction;
import dev.thaw.study.TrialHistory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NopPrunerTest extends PrunerContractTest {
    @Override
    Pruner pruner(Direction direction) {
        return new NopPruner();
    }

    @Test
    void everyTrialGoesOn() {
        TrialHistory history = busy(9);
        decisions(pruner(Direction.MAXIMIZE), history).forEach(d -> assertTrue(d.endsWith(": CONTINUE "), d));
    }
}
