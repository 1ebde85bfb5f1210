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
}
