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
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study with an ASHA pruner in pause mode (η 2, 5 epochs: rungs after epochs 1, 2 and 4) whose trials are written
 * straight to a store, as the driver records them, one in each state pruning leaves:
 * <ol>
 *   <li>COMPLETE, 0.70 after 5 epochs: the best;</li>
 *   <li>PRUNED after epoch 1 with the highest score, 0.99: never best;</li>
 *   <li>STOPPED by a user after epoch 2, score 0.98, with {@link #MARKUP} as its reason;</li>
 *   <li>PAUSED after epoch 2, thawed, PAUSED again after epoch 4 (two pauses, the first thawed);</li>
 *   <li>the scratch baseline, COMPLETE 0.95 after 5 epochs: never drawn;</li>
 *   <li>QUEUED: no epochs;</li>
 *   <li>RUNNING with one epoch recorded before Thaw kept the objective (NaN): no line.</li>
 * </ol>
 */
public final class PruningStudy {
    public static final String NAME = "pruning";
    /** A user's stop reason that is markup: pages must show it as text. */
    public static final String MARKUP = "<img src=x onerror=alert(5)><script>alert(6)</script> enough";
    public static final String PRUNED_REASON = "epoch 1: 0.2000 is outside the top 1/2 of 3 trials at rung 1";
    public static final String FIRST_PAUSE = "epoch 2: 0.4200 is outside the top 1/2 of 3 trials at rung 2";
    public static final String SECOND_PAUSE = "epoch 4: 0.5800 is outside the top 1/2 of 2 trials at rung 4";
    /** The objective after each epoch of trials 1 to 4. */
    public static final Map<Integer, List<Double>> OBJECTIVE = Map.of(
            1, List.of(0.40, 0.50, 0.60, 0.65, 0.70),
            2, List.of(0.20),
            3, List.of(0.30, 0.45),
            4, List.of(0.35, 0.42, 0.55, 0.58));

    private PruningStudy() {
    }

    /** The study file: {@link StudyFiles#tiny} of 7 trials × 5 epochs with an ASHA pruner that pauses. */
    public static String text(Fixture f, Path results) {
        return StudyFiles.tiny(NAME, f.data, f.sourceModel, results, 7, 5) + """
                pruner:
                  type: asha
                  min_epochs: 1
                  reduction_factor: 2
                  mode: pause
                """;
    }

    /** Records the study (its file as {@link #text}) and its seven trials in {@code db}. */
    public static StudyRecord create(Database db, Fixture f, Path results) {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
        StudyRecord study = studies.createOrContinue(NAME, text(f, results), "h", Metric.VAL_ACCURACY,
                Direction.MAXIMIZE, 7, 1);
        studies.recordOutputDir(study.id(), results);
        Path checkpoints = results.resolve(NAME).resolve("checkpoints");

        TrialRecord complete = running(trials, study, 0.01, false);
        epochs(trials, complete, OBJECTIVE.get(1), 0);
        trials.finish(complete.id(), TrialState.COMPLETE, 0.70, result(5), null);

        TrialRecord pruned = running(trials, study, 0.02, false);
        epochs(trials, pruned, OBJECTIVE.get(2), 0);
        trials.finish(pruned.id(), TrialState.PRUNED, 0.99, result(1), PRUNED_REASON);

        TrialRecord stopped = running(trials, study, 0.03, false);
        epochs(trials, stopped, OBJECTIVE.get(3), 0);
        trials.finish(stopped.id(), TrialState.STOPPED, 0.98, result(2), MARKUP);

        TrialRecord paused = running(trials, study, 0.04, false);
        epochs(trials, paused, OBJECTIVE.get(4).subList(0, 2), 0);
        trials.pause(paused.id(), 2, FIRST_PAUSE, checkpoints.resolve("trial-4"));
        trials.thaw(paused.id());
        trials.start(trials.get(paused.id()), "w");
        epochs(trials, paused, OBJECTIVE.get(4).subList(2, 4), 2);
        trials.pause(paused.id(), 4, SECOND_PAUSE, checkpoints.resolve("trial-4"));

        TrialRecord baseline = running(trials, study, 0.01, true);
        epochs(trials, baseline, List.of(0.5, 0.6, 0.7, 0.8, 0.95), 0);
        trials.finish(baseline.id(), TrialState.COMPLETE, 0.95, result(5), null);

        trials.create(study.id(), trials.nextNumber(study.id()), draft(0.06, false));

        TrialRecord old = running(trials, study, 0.07, false);
        trials.recordEpoch(old.id(), new MetricPoint(1, 0.9, 0.8, 0.5, Double.NaN));
        return study;
    }

    private static TrialRecord running(TrialStore trials, StudyRecord study, double rate, boolean baseline) {
        TrialRecord t = trials.create(study.id(), trials.nextNumber(study.id()), draft(rate, baseline));
        return trials.start(t, "w");
    }

    private static TrialDraft draft(double rate, boolean baseline) {
        return new TrialDraft(new Assignment(Map.of("learning_rate", rate, "batch_size", 8, "dropout", 0.1,
                "optimizer", "adam", "unfreeze_depth", 1)), 5, "fp", "t", "d", "j", baseline);
    }

    /** Records epochs {@code after}+1, ... with these objective values. */
    private static void epochs(TrialStore trials, TrialRecord t, List<Double> objective, int after) {
        for (int i = 0; i < objective.size(); i++) {
            double v = objective.get(i);
            trials.recordEpoch(t.id(), new MetricPoint(after + i + 1, 1 - v, 1 - v, v, v));
        }
    }

    private static TrialResult result(int epochs) {
        return new TrialResult(new ClassificationReport(List.of(2, 3), new int[][]{{5, 0}, {1, 4}}), 0.3,
                Optional.empty(), epochs);
    }
}
