package dev.thaw.bench;

import dev.thaw.bench.PruningReplay.End;
import dev.thaw.bench.PruningReplay.Run;
import dev.thaw.bench.PruningReplay.Segment;
import dev.thaw.bench.PruningReport.Runs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PruningReportTest {
    private static final int BUDGET = 400;
    /** 100 configurations scoring 0.01 to 1.00: the top 1% is 0.99 or more. Each 8 epochs of 2 s. */
    private static final List<GridTable.Config> CONFIGS = configs();
    private static final GridTable.Config LOW = CONFIGS.get(49); // 0.5
    private static final GridTable.Config TOP = CONFIGS.get(99); // 1.0
    private static final GridTable TABLE = new GridTable(List.of(), CONFIGS);

    private static List<GridTable.Config> configs() {
        List<GridTable.Config> out = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            List<GridTable.Epoch> curve = new ArrayList<>();
            for (int e = 1; e <= 8; e++) {
                curve.add(new GridTable.Epoch(e, e == 8 ? i / 100.0 : 0.9, 1.0, 2.0));
            }
            out.add(new GridTable.Config(i, 1e-3, 16, 0.0, "sgd", 0, curve));
        }
        return out;
    }

    /** {@code prefix}, then a COMPLETE top trial, then COMPLETE low trials until the budget (or low trials only). */
    private static Run run(List<Segment> prefix, boolean reaches) {
        List<Segment> s = new ArrayList<>(prefix);
        int spent = prefix.stream().mapToInt(Segment::epochs).sum();
        if (reaches) {
            s.add(new Segment(s.size() + 1, TOP, 1, 8, End.COMPLETE));
            spent += 8;
        }
        for (; spent < BUDGET; spent += 8) {
            s.add(new Segment(s.size() + 1, LOW, 1, 8, End.COMPLETE));
        }
        return new Run(s);
    }

    /** k - 1 low COMPLETE trials, then the top one at 8k epochs. */
    private static Run reachingAtTrial(int k) {
        List<Segment> low = new ArrayList<>();
        for (int i = 1; i < k; i++) {
            low.add(new Segment(i, LOW, 1, 8, End.COMPLETE));
        }
        return run(low, true);
    }

    /** 32 trials of the top configuration pruned or paused after one epoch, then the top one COMPLETE at epoch 40. */
    private static Run prunedThenTop() {
        List<Segment> cut = new ArrayList<>();
        for (int i = 1; i <= 32; i++) {
            cut.add(new Segment(i, TOP, 1, 1, i % 2 == 0 ? End.PRUNED : End.PAUSED));
        }
        return run(cut, true);
    }

    private static final Runs RANDOM = new Runs("thaw_random",
            List.of(reachingAtTrial(10), reachingAtTrial(20), run(List.of(), false)), Optional.empty());
    private static final Runs ASHA = new Runs("thaw_tpe_asha",
            List.of(prunedThenTop(), prunedThenTop(), prunedThenTop()), Optional.empty());
    private static final Runs OPTUNA_MEDIAN = new Runs("optuna_tpe_median",
            List.of(reachingAtTrial(10), reachingAtTrial(10), reachingAtTrial(10)), Optional.empty());
    private static final Runs OPTUNA = Runs.failed("optuna_tpe", "no python");
    private static final List<Runs> ALL = List.of(RANDOM, ASHA, OPTUNA_MEDIAN, OPTUNA);

    @Test
    void theMediansCountOnlyCompleteTrialsAndASeedThatMissesCountsAsTheBudgetPlusOne() {
        PruningReport report = new PruningReport(TABLE, BUDGET);
        assertEquals(0.99, report.threshold());
        // epochs 80, 160, 401 (not reached)
        assertEquals(Optional.of(160.0), report.medianEpochsToTop(RANDOM));
        assertEquals(1, report.notReached(RANDOM));
        assertEquals(320.0, report.medianSecondsToTop(RANDOM));
        // the pruned and paused epochs of the top configuration count as spent, never as reached
        assertEquals(Optional.of(40.0), report.medianEpochsToTop(ASHA));
        assertEquals(80.0, report.medianSecondsToTop(ASHA));
        // best so far: seeds [1.0, 0.5, 0.5] after 100 epochs, [1.0, 1.0, 0.5] after 200
        assertEquals(0.5, report.bestAfter(RANDOM, 100, 0.5));
        assertEquals(0.75, report.bestAfter(RANDOM, 100, 0.75));
        assertEquals(1.0, report.bestAfter(RANDOM, 200, 0.5));
        double[] regret = report.medianRegret(RANDOM);
        assertEquals(BUDGET, regret.length);
        assertEquals(1.0, regret[6]); // nothing COMPLETE before epoch 8
        assertEquals(0.5, regret[78]);
        assertEquals(0.5, regret[79]); // one seed of three at the best
        assertEquals(0.0, regret[159]);
    }

    @Test
    void theSummaryNamesThawsFastestMethodAgainstRandomWithoutPruningAndOptunasFastest() {
        assertEquals("summary: best=thaw_tpe_asha best/random=0.25 best/optuna_best=0.50",
                new PruningReport(TABLE, BUDGET).summary(ALL));
        assertEquals("summary: best=thaw_tpe_asha best/random=n/a best/optuna_best=n/a",
                new PruningReport(TABLE, BUDGET).summary(List.of(ASHA, OPTUNA)));
    }

    @Test
    void theMarkdownTableHasARowPerMethod() {
        assertEquals("""
                | method | epochs to the top 1%, median (not reached) | recorded minutes to the top 1%, median \
                | best after 100 epochs | after 200 | after 400 |
                |---|---|---|---|---|---|
                | thaw_random | 160 (1) | 5.3 | 0.50 [0.50, 0.75] | 1.00 [0.75, 1.00] | 1.00 [0.75, 1.00] |
                | thaw_tpe_asha | 40 (0) | 1.3 | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] |
                | optuna_tpe_median | 80 (0) | 2.7 | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] |
                | optuna_tpe | failed: no python | | | | |
                """, new PruningReport(TABLE, BUDGET).markdown(ALL));
    }
}
