package dev.thaw.web;

import dev.thaw.store.Pause;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.Misclassification;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the trial page shows: the trial (parameters, state, score, timings, error, the reason it was pruned,
 * stopped or paused, provenance), its per-epoch metrics, its final report on validation and test data with per-class
 * scores, the validation images its model got most confidently wrong, and its pauses (each with its thaw, if it
 * thawed), earliest first.
 */
record TrialDetail(TrialRecord trial, List<MetricPoint> epochs, Optional<Report> validation, Optional<Report> test,
                   boolean best, boolean model, List<Misclassification> misclassified, List<Pause> pauses) {

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
            List<ClassificationReport.ClassScore> scores = r.perClass();
            for (int c = 0; c < k; c++) {
                ClassificationReport.ClassScore s = scores.get(c);
                perClass.add(new ClassScore(s.label(), names.get(c), s.precision(), s.recall(), s.f1(), s.support()));
            }
            return new Report(r.accuracy(), r.precision(), r.recall(), r.f1(), r.classes(), names, r.confusion(), perClass);
        }
    }

    record ClassScore(int label, String name, double precision, double recall, double f1, int support) {
    }
}
