package dev.thaw.bench;

import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SequentialStudy;
import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplaySpaceTest {
    private static final double[] RATES = {1.0e-4, 3.98e-4, 1.585e-3, 6.31e-3, 2.512e-2, 1.0e-1};

    /** The record study's grid (every combination), each config scoring its id so a test can tell them apart. */
    static GridTable grid() {
        List<GridTable.Config> configs = new ArrayList<>();
        for (int depth = 0; depth <= 3; depth++) {
            for (String optimizer : List.of("sgd", "nesterovs", "adam")) {
                for (double dropout : new double[]{0.0, 0.5}) {
                    for (int batch : new int[]{16, 64}) {
                        for (double lr : RATES) {
                            int id = configs.size() + 1;
                            configs.add(new GridTable.Config(id, lr, batch, dropout, optimizer, depth,
                                    List.of(new GridTable.Epoch(1, id / 1000.0, 1.0, 2.0))));
                        }
                    }
                }
            }
        }
        return new GridTable(List.of(), configs);
    }

    private static GridTable.Config snap(GridTable table, double lr, int batch, double dropout, String optimizer,
                                         int depth) {
        return new ReplaySpace(table).snap(lr, batch, dropout, optimizer, depth);
    }

    @Test
    void theLearningRateSnapsToTheNearestRecordedRateOnALogScale() {
        // 0.06 is nearer 0.02512 than 0.1 on a linear scale, nearer 0.1 on a log scale (their geometric mean is 0.0501)
        assertEquals(1.0e-1, snap(grid(), 0.06, 16, 0.0, "sgd", 0).learningRate());
        assertEquals(2.512e-2, snap(grid(), 0.049, 16, 0.0, "sgd", 0).learningRate());
        assertEquals(1.0e-4, snap(grid(), 1.9e-4, 16, 0.0, "sgd", 0).learningRate());
        assertEquals(3.98e-4, snap(grid(), 2.1e-4, 16, 0.0, "sgd", 0).learningRate());
    }

    @Test
    void dropoutSnapsLinearlyAndCategoricalsMatchExactly() {
        GridTable.Config c = snap(grid(), 1.5e-3, 64, 0.26, "nesterovs", 2);
        assertEquals(List.of(1.585e-3, 64, 0.5, "nesterovs", 2),
                List.of(c.learningRate(), c.batchSize(), c.dropout(), c.optimizer(), c.unfreezeDepth()));
        assertEquals(0.0, snap(grid(), 1.5e-3, 64, 0.24, "nesterovs", 2).dropout());
    }

    @Test
    void onAPartialTableTheCategoricalsWeighMoreThanTheWholeContinuousRange() {
        List<GridTable.Config> noAdam = grid().configs().stream().filter(c -> !c.optimizer().equals("adam")).toList();
        GridTable partial = new GridTable(List.of(), noAdam);
        GridTable.Config c = snap(partial, 1e-1, 16, 0.5, "adam", 3);
        // no adam: the nearest keeps batch size and depth, and the nearest continuous values
        assertEquals(List.of(1e-1, 16, 0.5, 3), List.of(c.learningRate(), c.batchSize(), c.dropout(),
                c.unfreezeDepth()));
    }

    @Test
    void thawsProposalsInTheReplaySpaceSnapToConfigsWithTheirCategoricals() {
        ReplaySpace replay = new ReplaySpace(grid());
        var sampler = new SamplerFactory().create(new SearchSpec(SearchSpec.Algorithm.RANDOM, 50, 3, Optional.empty(),
                3), ReplaySpace.space(), Direction.MAXIMIZE);
        for (Assignment a : new SequentialStudy(sampler, ReplaySpace.space(), 3).run(50, p -> replay.snap(p).score())) {
            GridTable.Config c = replay.snap(a);
            assertEquals(List.of(a.batchSize(), a.values().get("optimizer"), a.unfreezeDepth()),
                    List.of(c.batchSize(), c.optimizer(), c.unfreezeDepth()), a.toString());
        }
    }
}
