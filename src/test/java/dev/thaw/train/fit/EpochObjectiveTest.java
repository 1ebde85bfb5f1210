package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;

import dev.thaw.study.Assignment;
import dev.thaw.study.Metric;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every epoch records the study objective's own value ({@link MetricPoint#objective()}): with {@code val_f1} that
 * epoch's macro F1, with {@code val_loss} its validation loss, with a {@code test_} metric its validation counterpart;
 * the last epoch's equals the trial's final validation score.
 */
class EpochObjectiveTest {
    @TempDir
    Path dir;

    /** A head that has barely started: it favours one class, so macro F1 and accuracy part ways. */
    private static final Assignment SLOW = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.1, "optimizer", "adam", "unfreeze_depth", 1, "head_epochs", 2));

    private StudySpec spec(String metric, int epochs) throws Exception {
        String study = StudyFiles.tiny("t", Fixture.get().data, Fixture.get().sourceModel, dir, 1, epochs);
        return new StudyFileReader().parse(study.replace("metric: val_accuracy", "metric: " + metric));
    }

    /**
     * Epoch 1's objective is the F1 of the trial's evaluation when it is pruned right after epoch 1, epoch 2's that of
     * the whole trial.
     */
    @Test
    void withValF1EachEpochRecordsThatEpochsMacroF1() throws Exception {
        StudySpec spec = spec("val_f1", 2);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialResult whole = trainer(spec).train(SLOW, recording(epochs, 0)).finished().result();
        TrialOutcome.Finished pruned = trainer(spec).train(SLOW, recording(new ArrayList<>(), 1)).finished();
        TrialResult afterOne = pruned.result();

        assertEquals(TrialState.PRUNED, pruned.end());
        assertEquals(1, afterOne.epochs());
        assertEquals(afterOne.validation().f1(), epochs.get(0).objective());
        assertEquals(whole.validation().f1(), epochs.get(1).objective());
        assertEquals(Metric.VAL_F1.of(whole), epochs.get(1).objective(), "the last epoch's is the trial's score");
        assertTrue(epochs.stream().anyMatch(p -> p.objective() != p.validationAccuracy()),
                "F1, not accuracy: " + epochs);
    }

    @Test
    void withValLossEachEpochRecordsItsValidationLoss() throws Exception {
        StudySpec spec = spec("val_loss", 2);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialResult whole = trainer(spec).train(SLOW, recording(epochs, 0)).finished().result();
        for (MetricPoint p : epochs) {
            assertEquals(p.validationLoss(), p.objective());
        }
        assertEquals(Metric.VAL_LOSS.of(whole), epochs.get(1).objective());
    }

    /** The test split is looked at once, at the end: during training a test_ metric follows its validation twin. */
    @Test
    void aTestMetricFollowsItsValidationCounterpartEpochByEpoch() throws Exception {
        StudySpec spec = spec("test_accuracy", 2);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialResult whole = trainer(spec).train(SLOW, recording(epochs, 0)).finished().result();
        for (MetricPoint p : epochs) {
            assertEquals(p.validationAccuracy(), p.objective());
        }
        assertEquals(whole.validation().accuracy(), epochs.get(1).objective());
    }

    /** With k folds an epoch's objective is the folds' mean, as the trial's score is. */
    @Test
    void withFoldsTheObjectiveIsTheFoldsMean() throws Exception {
        StudySpec plain = spec("val_f1", 1);
        StudySpec spec = plain.withData(plain.data().withFolds(2));
        List<MetricPoint> epochs = new ArrayList<>();
        TrialResult whole = trainer(spec).train(SLOW, recording(epochs, 0)).finished().result();
        assertEquals(2, whole.folds().size());
        assertEquals(Metric.VAL_F1.of(whole), epochs.get(0).objective(), 1e-15);
    }

    private static Dl4jTrialTrainer trainer(StudySpec spec) throws Exception {
        return new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()));
    }

    /** Records epochs; prunes the trial after epoch {@code pruneAt} (0: never). */
    private static TrialControl recording(List<MetricPoint> epochs, int pruneAt) {
        return new TrialControl() {
            @Override
            public PruneDecision epochFinished(MetricPoint point) {
                epochs.add(point);
                return point.epoch() == pruneAt ? PruneDecision.prune("looked enough") : PruneDecision.CONTINUE;
            }

            @Override
            public Optional<String> stopReason() {
                return Optional.empty();
            }
        };
    }
}
