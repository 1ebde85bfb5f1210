package dev.thaw.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplayReportTest {
    private static GridTable.Config config(int id, double score) {
        return new GridTable.Config(id, 1e-3, 16, 0.0, "sgd", 0, List.of(new GridTable.Epoch(1, score, 1.0, 1.0)));
    }

    @Test
    void theTopOnePercentIsTheNearestRank99thPercentileWithItsTies() {
        double[] scores = new double[200];
        for (int i = 0; i < 200; i++) {
            scores[i] = i < 195 ? i / 1000.0 : 0.9;
        }
        // rank ceil(0.99 * 200) = 198 is 0.9, which five configurations share
        assertEquals(0.9, ReplayReport.topThreshold(scores));
    }

    @Test
    void aSeedThatNeverReachesTheThresholdCountsAsTheBudgetPlusOne() {
        List<GridTable.Config> run = List.of(config(1, 0.5), config(2, 0.8), config(3, 0.9));
        assertEquals(2, ReplayReport.trialsTo(run, 0.8));
        assertEquals(4, ReplayReport.trialsTo(run, 0.95));
    }

    @Test
    void theSummaryIsTheRatioOfMedianTrialsToTheTopAndNaWhenAMethodFailed() {
        List<GridTable.Config> configs = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            configs.add(config(i, i / 100.0));
        }
        GridTable table = new GridTable(List.of(), configs);
        GridTable.Config low = configs.get(0);
        GridTable.Config top = configs.get(99);
        List<GridTable.Config> fast = List.of(low, top, low, low);
        List<GridTable.Config> slow = List.of(low, low, low, top);
        ReplayReport report = new ReplayReport(table, 4);
        var tpe = new SearchBenchmark.Runs("thaw_tpe", List.of(fast, fast), Optional.empty());
        var random = new SearchBenchmark.Runs("thaw_random", List.of(slow, slow), Optional.empty());
        var optuna = SearchBenchmark.Runs.failed("optuna_tpe", "no python");
        assertEquals("summary: tpe/random=0.50 tpe/optuna_tpe=n/a", report.summary(List.of(tpe, random, optuna)));
        assertEquals(List.of(0.99, 0.0, 0.0, 0.0), java.util.Arrays.stream(report.medianRegret(tpe)).boxed().toList());
    }
}
