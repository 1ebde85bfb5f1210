package dev.thaw.testing;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study with conditional parameters and three COMPLETE trials written straight to a store, as the driver records
 * them: a parameter inactive in a trial is absent from it. {@code momentum} (Thaw's own condition: nesterovs) and
 * {@code head_units} (declared: only with {@code head_layers} 1) are absent from trial 1, the best (0.9); trials 2
 * (0.8) and 3 (0.7) use nesterovs with momentum 0.5 and 0.9 and one hidden layer of 8 and 16 units.
 */
public final class ConditionalStudy {
    public static final String NAME = "conditional";

    private ConditionalStudy() {
    }

    /** The study file: {@link StudyFiles#tiny} over {@code f}'s data and model, with the conditional space. */
    public static String text(Fixture f, Path results) {
        return StudyFiles.replaceSection(StudyFiles.tiny(NAME, f.data, f.sourceModel, results, 3, 1), "space", """
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 5.0e-2, log: true}
                  optimizer: {type: choice, values: [adam, nesterovs]}
                  momentum: {type: float, low: 0.5, high: 0.99}
                  head_layers: {type: int, low: 0, high: 1}
                  head_units: {type: choice, values: [8, 16], when: {head_layers: 1}}
                """);
    }

    /** Records the study (its file as {@link #text}) and its three trials in {@code db}. */
    public static StudyRecord create(Database db, Fixture f, Path results) {
        return create(db, f, results, 3);
    }

    /**
     * Records the study and its first {@code recorded} trials (1: only trial 1, which holds neither momentum nor
     * head_units).
     */
    public static StudyRecord create(Database db, Fixture f, Path results, int recorded) {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
        StudyRecord study = studies.createOrContinue(NAME, text(f, results), "h", Metric.VAL_ACCURACY,
                Direction.MAXIMIZE, 3, 1);
        studies.recordOutputDir(study.id(), results);
        ClassificationReport report = new ClassificationReport(List.of(2, 3), new int[][]{{5, 0}, {1, 4}});
        List<Map<String, Object>> active = List.of(
                values(0.01, "adam", null, 0, null),
                values(0.02, "nesterovs", 0.5, 1, 8),
                values(0.03, "nesterovs", 0.9, 1, 16));
        double[] scores = {0.9, 0.8, 0.7};
        for (int i = 0; i < recorded; i++) {
            TrialRecord t = trials.create(study.id(), i + 1, new TrialDraft(new Assignment(active.get(i)), 5, "fp",
                    "t", "d", "j"));
            trials.start(t, "w");
            trials.finish(t.id(), TrialState.COMPLETE, scores[i], new TrialResult(report, 0.3, Optional.empty(), 1),
                    null);
        }
        return study;
    }

    /** A trial's values in the study's order, the always-present ones at their fixed values; null: inactive. */
    private static Map<String, Object> values(double rate, String optimizer, Double momentum, int layers, Integer units) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("learning_rate", rate);
        v.put("optimizer", optimizer);
        if (momentum != null) {
            v.put("momentum", momentum);
        }
        v.put("head_layers", layers);
        if (units != null) {
            v.put("head_units", units);
        }
        v.put("batch_size", 32);
        v.put("dropout", 0.0);
        v.put("unfreeze_depth", 0);
        return v;
    }
}
