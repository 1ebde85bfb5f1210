package dev.thaw.study;

import java.util.List;

/**
 * Final scores of a classifier on one split: accuracy, macro-averaged precision, recall and F1, and the
 * confusion matrix ({@code confusion[actual][predicted]}, rows and columns in the order of {@code classes}).
 */
public record ClassificationReport(double accuracy, double precision, double recall, double f1,
                                   List<Integer> classes, int[][] confusion) {
    public ClassificationReport {
        classes = List.copyOf(classes);
        if (confusion.length != classes.size()) {
            throw new IllegalArgumentException("confusion must have one row per class, got "
                    + confusion.length + " rows for " + classes.size() + " classes");
        }
    }

    /**
     * The report a confusion matrix gives: accuracy, and precision, recall and F1 averaged over the classes that
     * have them (precision over classes ever predicted, recall over classes present), F1 over classes with both.
     */
    public static ClassificationReport of(int[][] confusion, List<Integer> classes) {
        int k = confusion.length;
        long correct = 0;
        long total = 0;
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        int precisions = 0;
        int recalls = 0;
        int f1s = 0;
        for (int c = 0; c < k; c++) {
            long actual = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                actual += confusion[c][j];
                predicted += confusion[j][c];
                total += confusion[c][j];
            }
            correct += confusion[c][c];
            double p = predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
            double r = actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
            if (!Double.isNaN(p)) {
                precision += p;
                precisions++;
            }
            if (!Double.isNaN(r)) {
                recall += r;
                recalls++;
            }
            if (!Double.isNaN(p) && !Double.isNaN(r)) {
                f1 += p + r == 0 ? 0 : 2 * p * r / (p + r);
                f1s++;
            }
        }
        return new ClassificationReport(total == 0 ? 0 : (double) correct / total,
                precisions == 0 ? 0 : precision / precisions, recalls == 0 ? 0 : recall / recalls,
                f1s == 0 ? 0 : f1 / f1s, classes, confusion);
    }
}
