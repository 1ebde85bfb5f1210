package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Network;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jTrialTrainerTest {
    @TempDir
    Path dir;

    private static final Assignment ADAM = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.1, "optimizer", "adam", "unfreeze_depth", 1));

    private StudySpec spec(Path model, int epochs) throws Exception {
        return new StudyFileReader().parse(StudyFiles.tiny("t", Fixture.get().data, model, dir, 1, epochs));
    }

    @Test
    void reportsEveryEpochAndEvaluatesValidationAndTest() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 2);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, recording(epochs, Optional.empty()));
        assertEquals(List.of(1, 2), epochs.stream().map(MetricPoint::epoch).toList());
        TrialResult result = outcome.finished().finished().result();
        assertEquals(2, result.epochs());
        assertTrue(result.validation().accuracy() > 0.9, "tiny data is easy: " + result.validation());
        int[][] confusion = result.test().orElseThrow().confusion();
        assertEquals(30, confusion[0][0] + confusion[0][1] + confusion[1][0] + confusion[1][1], "15 test images per class");
        Path saved = dir.resolve("model.zip");
        outcome.finished().finished().model().save(saved);
        assertTrue(Files.size(saved) > 0);
    }

    /**
     * head_epochs 1, unfreeze_depth 1: after the first epoch the backbone's top layer is still the source's, bit for
     * bit; after the second (the thaw) it has changed.
     */
    @Test
    void headEpochsTrainTheHeadAloneThenTheBackboneThaws() throws Exception {
        Assignment recipe = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8, "dropout", 0.1,
                "optimizer", "adam", "unfreeze_depth", 1, "head_epochs", 1));
        MultiLayerNetwork source = Network.load(Fixture.get().sourceModel).layers();
        int top = TransferBuilder.backboneLayers(new Network(source)).get(2);
        for (int epochs : new int[]{1, 2}) {
            StudySpec spec = spec(Fixture.get().sourceModel, epochs);
            TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                    .train(recipe, recording(new ArrayList<>(), Optional.empty()));
            Path saved = dir.resolve("after-" + epochs + ".zip");
            outcome.finished().finished().model().save(saved);
            INDArray after = Network.load(saved).layers().getLayer(top).params();
            boolean same = java.util.Arrays.equals(source.getLayer(top).params().ravel().toFloatVector(),
                    after.ravel().toFloatVector());
            assertEquals(epochs == 1, same, epochs == 1 ? "frozen during head_epochs" : "thawed after head_epochs");
        }
    }

    /**
     * The scratch baseline starts from the same architecture's own random initialisation, not the source's weights,
     * and trains every layer: stopped before its first batch, its bottom layer is the fresh initialisation; after an
     * epoch at unfreeze_depth 0 (which the baseline overrides) that layer has moved.
     */
    @Test
    void theScratchBaselineStartsFromRandomWeightsAndTrainsEveryLayer() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 1);
        Network source = Network.load(Fixture.get().sourceModel);
        float[] pretrained = source.layers().getLayer(0).params().ravel().toFloatVector();
        float[] random = source.reinitialized().layers().getLayer(0).params().ravel().toFloatVector();
        assertFalse(java.util.Arrays.equals(pretrained, random));
        Dl4jTrialTrainer trainer = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()));
        Assignment headOnly = ADAM.with(dev.thaw.study.Hyperparameter.UNFREEZE_DEPTH, 0);

        TrialControl stopAtOnce = new TrialControl() {
            @Override
            public dev.thaw.study.PruneDecision epochFinished(MetricPoint point) {
                return dev.thaw.study.PruneDecision.CONTINUE;
            }

            @Override
            public Optional<String> stopReason() {
                return Optional.of("look at the start");
            }
        };
        Path start = dir.resolve("start.zip");
        trainer.trainFromScratch(headOnly, stopAtOnce).finished().model().save(start);
        assertArrayEquals(random, Network.load(start).layers().getLayer(0).params().ravel().toFloatVector(),
                "the baseline starts from the architecture's own random initialisation");

        Path trained = dir.resolve("trained.zip");
        trainer.trainFromScratch(headOnly, TrialControl.NONE).finished().model().save(trained);
        assertFalse(java.util.Arrays.equals(random, Network.load(trained).layers().getLayer(0).params().ravel()
                .toFloatVector()), "every layer trains, the bottom one too");
    }

    /** A trial keeps its most confident validation mistakes: real ones, named by file and index, worst first. */
    @Test
    void theMostConfidentMistakesAreKeptWithTheirImages() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 1);
        Assignment barely = new Assignment(Map.of("learning_rate", 1e-6, "batch_size", 8, "dropout", 0.0,
                "optimizer", "sgd", "unfreeze_depth", 0));
        TrialResult result = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(barely, TrialControl.NONE).finished().result();
        int[][] c = result.validation().confusion();
        int wrong = c[0][1] + c[1][0];
        assertTrue(wrong > 0, "an untrained head makes mistakes: " + java.util.Arrays.deepToString(c));
        List<dev.thaw.study.Misclassification> kept = result.misclassified();
        assertEquals(Math.min(wrong, Dl4jTrialTrainer.KEPT_MISTAKES), kept.size());
        for (int i = 0; i < kept.size(); i++) {
            dev.thaw.study.Misclassification m = kept.get(i);
            assertTrue(m.example().matches("train-images-idx3-ubyte\\.gz#\\d+"), m.example());
            assertTrue(List.of(2, 3).contains(m.actual()) && List.of(2, 3).contains(m.predicted()));
            assertTrue(m.actual() != m.predicted());
            assertTrue(m.confidence() >= 0.5 && m.confidence() <= 1.0, "the wrong class won: " + m);
            if (i > 0) {
                assertTrue(kept.get(i - 1).confidence() >= m.confidence(), "most confident first");
            }
        }
    }

    /**
     * With validation.folds 3 every fold trains and validates; the score is the mean over the folds and the spread
     * their standard deviation; the reported confusion sums the folds, so every pooled image is validated once.
     */
    @Test
    void kFoldCrossValidationScoresTheMeanOfTheFolds() throws Exception {
        StudySpec plain = spec(Fixture.get().sourceModel, 1);
        StudySpec spec = new StudySpec(plain.name(), plain.seed(), plain.model(), plain.data().withFolds(3),
                plain.metric(), plain.direction(), plain.search(), plain.epochs(), plain.space(), plain.output(),
                plain.slots());
        List<MetricPoint> epochs = new ArrayList<>();
        TrialResult result = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, recording(epochs, Optional.empty())).finished().result();
        assertEquals(3, result.folds().size());
        assertEquals(1, epochs.size(), "one point per epoch, averaged over the folds");
        int validated = java.util.Arrays.stream(result.validation().confusion()).flatMapToInt(java.util.Arrays::stream).sum();
        assertEquals(40, validated, "20 images of each class, each validated once");
        double mean = result.folds().stream().mapToDouble(dev.thaw.study.ClassificationReport::accuracy).average()
                .orElseThrow();
        assertEquals(mean, dev.thaw.study.Metric.VAL_ACCURACY.of(result), 1e-12);
        assertTrue(dev.thaw.study.Metric.VAL_ACCURACY.spread(result).isPresent());
        assertTrue(dev.thaw.study.Metric.TEST_ACCURACY.spread(result).isEmpty());
    }

    /** Records epochs; asks to stop with {@code stop} once the first epoch has been reported. */
    private static TrialControl recording(List<MetricPoint> epochs, Optional<String> stop) {
        return new TrialControl() {
            @Override
            public dev.thaw.study.PruneDecision epochFinished(MetricPoint point) {
                epochs.add(point);
                return dev.thaw.study.PruneDecision.CONTINUE;
            }

            @Override
            public Optional<String> stopReason() {
                return epochs.isEmpty() ? Optional.empty() : stop;
            }
        };
    }

    @Test
    void aStopRequestEndsTheTrialAtTheNextBatchWithItsReason() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 3);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, recording(epochs, Optional.of("enough")));
        assertEquals(Optional.of("enough"), outcome.finished().reason());
        assertEquals(dev.thaw.study.TrialState.STOPPED, outcome.finished().end());
        assertEquals(1, outcome.finished().finished().result().epochs());
        assertEquals(1, epochs.size());
    }

    /** The pruner's PRUNE after epoch 1 of 3 ends the trial there, PRUNED with the pruner's reason, evaluated. */
    @Test
    void aPrunedTrialEndsAfterThatEpochWithTheReason() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 3);
        List<MetricPoint> epochs = new ArrayList<>();
        String reason = "epoch 1: 0.41 is below the median 0.77 of 6 trials";
        TrialControl pruneAtOnce = new TrialControl() {
            @Override
            public dev.thaw.study.PruneDecision epochFinished(MetricPoint point) {
                epochs.add(point);
                return dev.thaw.study.PruneDecision.prune(reason);
            }

            @Override
            public Optional<String> stopReason() {
                return Optional.empty();
            }
        };
        TrialOutcome.Finished outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, pruneAtOnce).finished();
        assertEquals(dev.thaw.study.TrialState.PRUNED, outcome.end());
        assertEquals(Optional.of(reason), outcome.reason());
        assertEquals(1, epochs.size());
        assertEquals(1, outcome.result().epochs());
        assertEquals(epochs.get(0).validationAccuracy(), outcome.result().validation().accuracy());
    }

    /** The stop is asked for during the first epoch (4 batches of 8); the trial ends before a second one. */
    @Test
    void aStopMidEpochEndsItAtABatchBoundary() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 2);
        int[] checks = {0};
        TrialControl midEpoch = new TrialControl() {
            @Override
            public dev.thaw.study.PruneDecision epochFinished(MetricPoint point) {
                return dev.thaw.study.PruneDecision.CONTINUE;
            }

            @Override
            public Optional<String> stopReason() {
                return ++checks[0] > 4 ? Optional.of("now") : Optional.empty();
            }
        };
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, midEpoch);
        assertEquals(Optional.of("now"), outcome.finished().reason());
        assertEquals(1, outcome.finished().finished().result().epochs());
    }

    @Test
    void aModelThatCannotBeLoadedFailsTheTrialWithTheReason() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 1);
        TargetData data = TargetData.load(spec.data(), spec.seed());
        Path broken = dir.resolve("broken.zip");
        Files.writeString(broken, "not a zip");
        StudySpec brokenSpec = spec(broken, 1);
        TrialFailedException e = assertThrows(TrialFailedException.class,
                () -> new Dl4jTrialTrainer(brokenSpec, data).train(ADAM, TrialControl.NONE));
        assertTrue(e.getMessage().startsWith("cannot load the source model " + broken + ": "), e.getMessage());
    }
}
