package dev.thaw.study;

import java.util.ArrayList;
import java.util.List;

/**
 * Final scores of a classifier on one split, all derived from one confusion matrix
 * ({@code confusion[actual][predicted]}, rows and columns in the order of {@code classes}): accuracy, each class's
 * precision, recall and F1, and their macro averages.
 *
 * <p>Macro averages run over <em>every</em> class of the study, as scikit-learn's {@code average='macro'} with
 * {@code zero_division=0}: a precision with nothing predicted, or a recall with nothing present, counts as 0, and so
 * does the F1 of a class whose precision and recall are both 0. A model that predicts one class for everything
 * therefore scores its per-class F1s' mean, not the F1 of the one class it predicts. This is the only place these
 * scores are computed: the trainer, the store, the CLI and the web read them from here.
 */
public record ClassificationReport(List<Integer> classes, int[][] confusion) {
    public ClassificationReport {
        classes = List.copyOf(classes);
        if (confusion.length != classes.size()) {
            throw new IllegalArgumentException("confusion must have one row per class, got "
                    + confusion.length + " rows for " + classes.size() + " classes");
        }
        for (int[] row : confusion) {
            if (row.length != classes.size()) {
                throw new IllegalArgumentException("confusion must be square, got a row of " + row.length
                        + " for " + classes.size() + " classes");
            }
        }
    }

    /** One class's scores; {@code support} is the number of its images in the split. */
    public record ClassScore(int label, double precision, double recall, double f1, int support) {
    }

    /** Each class's precision, recall and F1 (0 where there is nothing to divide), in the order of {@code classes}. */
    public List<ClassScore> perClass() {
        int k = confusion.length;
        List<ClassScore> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int actual = 0;
            int predicted = 0;
            for (int j = 0; j < k; j++) {
                actual += confusion[c][j];
                predicted += confusion[j][c];
            }
            int tp = confusion[c][c];
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = actual == 0 ? 0 : (double) tp / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassScore(classes.get(c), precision, recall, f1, actual));
        }
        return out;
    }

    /** The share of images classified correctly; 0 for an empty split. */
    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
            for (int n : confusion[c]) {
                total += n;
            }
        }
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Macro precision: the mean of every class's precision. */
    public double precision() {
        return perClass().stream().mapToDouble(ClassScore::precision).average().orElse(0);
    }

    /** Macro recall: the mean of every class's recall. */
    public double recall() {
        return perClass().stream().mapToDouble(ClassScore::recall).average().orElse(0);
    }

    /** Macro F1: the mean of every class's F1. */
    public double f1() {
        return perClass().stream().mapToDouble(ClassScore::f1).average().orElse(0);
    }

    /** The report over several folds: their confusion matrices summed (every pooled image counted once). */
    public static ClassificationReport summed(List<ClassificationReport> reports) {
        List<Integer> classes = reports.get(0).classes();
        int k = classes.size();
        int[][] confusion = new int[k][k];
        for (ClassificationReport r : reports) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    confusion[i][j] += r.confusion()[i][j];
                }
            }
        }
        return new ClassificationReport(classes, confusion);
    }
}
