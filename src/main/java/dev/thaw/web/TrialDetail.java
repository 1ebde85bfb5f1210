package dev.thaw.web;

import dev.thaw.store.TrialRecord;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.Misclassification;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the trial page shows: the trial (parameters, state, score, timings, error or stop reason, provenance),
 * its per-epoch metrics, its final report on validation and test data with per-class scores, and the validation
 * images its model got most confidently wrong.
 */
record TrialDetail(TrialRecord trial, List<MetricPoint> epochs, Optional<Report> validation, Optional<Report> test,
                   boolean best, boolean model, List<Misclassification> misclassified) {

    /**
     * A final report with precision, recall and F1 of each class, derived from its confusion matrix; {@code names}
     * are the classes' names from the study file (CIFAR-10 names, folder names), or their labels as text.
     */
    record Report(double accuracy, double precision, double recall, double f1, List<Integer> classes,
                  List<String> names, int[][] confusion, List<ClassScore> perClass) {
        static Report of(ClassificationReport r, List<String> classNames) {
            int k = r.classes().size();
            List<String> names = classNames.size() == k ? classNames : r.classes().stream().map(String::valueOf).toList();
            List<ClassScore> perClass = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                int tp = r.confusion()[c][c];
                int actual = 0;
                int predicted = 0;
                for (int j = 0; j < k; j++) {
                    actual += r.confusion()[c][j];
                    predicted += r.confusion()[j][c];
                }
                double precision = predicted == 0 ? 0 : (double) tp / predicted;
                double recall = actual == 0 ? 0 : (double) tp / actual;
                double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                perClass.add(new ClassScore(r.classes().get(c), names.get(c), precision, recall, f1, actual));
            }
            return new Report(r.accuracy(), r.precision(), r.recall(), r.f1(), r.classes(), names, r.confusion(), perClass);
        }
    }

    record ClassScore(int label, String name, double precision, double recall, double f1, int support) {
    }
}
