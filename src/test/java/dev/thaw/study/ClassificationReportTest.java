package dev.thaw.study;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Macro scores average over every class; nothing to divide counts as 0 (scikit-learn's zero_division=0). */
class ClassificationReportTest {
    private static final double EPS = 1e-12;

    @Test
    void oneClassPredictedForEverythingScoresTheMeanOverEveryClass() {
        // issue 10, case 1: classes 5, 6, 7, 9 images each, every image predicted as class 6
        var r = new ClassificationReport(List.of(5, 6, 7), new int[][]{{0, 9, 0}, {0, 9, 0}, {0, 9, 0}});
        assertEquals(List.of(0.0, 0.5, 0.0), r.perClass().stream().map(ClassificationReport.ClassScore::f1).toList());
        assertEquals(1.0 / 6, r.f1(), EPS);
        assertEquals((0 + 1.0 / 3 + 0) / 3, r.precision(), EPS);
        assertEquals((0 + 1.0 + 0) / 3, r.recall(), EPS);
        assertEquals(1.0 / 3, r.accuracy(), EPS);
        assertEquals(1.0 / 6, Metric.VAL_F1.of(new TrialResult(r, 1.0, java.util.Optional.empty(), 2)), EPS);
    }

    @Test
    void aClassAbsentFromTheSplitCountsAsZeroRecallAndF1() {
        // class 7 has no images and is never predicted: precision, recall and F1 0, still in the mean
        var r = new ClassificationReport(List.of(5, 6, 7), new int[][]{{4, 0, 0}, {0, 4, 0}, {0, 0, 0}});
        assertEquals(2.0 / 3, r.f1(), EPS);
        assertEquals(1.0, r.accuracy(), EPS);
        assertEquals(0, r.perClass().get(2).support());
    }

    @Test
    void aClassPredictedButNeverRightHasPrecisionZero() {
        var r = new ClassificationReport(List.of(0, 1), new int[][]{{0, 5}, {0, 5}});
        assertEquals(0.0, r.perClass().get(0).precision());
        assertEquals(0.0, r.perClass().get(0).recall());
        assertEquals(0.5, r.perClass().get(1).precision(), EPS);
        assertEquals((0 + 2 * 0.5 / 1.5) / 2, r.f1(), EPS);
    }

    @Test
    void perfectAndEmptyReports() {
        var perfect = new ClassificationReport(List.of(0, 1), new int[][]{{3, 0}, {0, 2}});
        assertEquals(1.0, perfect.f1(), EPS);
        assertEquals(1.0, perfect.precision(), EPS);
        var empty = new ClassificationReport(List.of(0, 1), new int[][]{{0, 0}, {0, 0}});
        assertEquals(0.0, empty.f1());
        assertEquals(0.0, empty.accuracy());
    }

    @Test
    void foldsSumTheirConfusionMatrices() {
        var a = new ClassificationReport(List.of(0, 1), new int[][]{{2, 0}, {1, 1}});
        var b = new ClassificationReport(List.of(0, 1), new int[][]{{1, 1}, {0, 2}});
        var sum = ClassificationReport.summed(List.of(a, b));
        assertEquals(3, sum.confusion()[0][0]);
        assertEquals(6.0 / 8, sum.accuracy(), EPS);
    }

    @Test
    void aMatrixThatIsNotSquareIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassificationReport(List.of(0, 1), new int[][]{{1}, {1}}));
    }
}
