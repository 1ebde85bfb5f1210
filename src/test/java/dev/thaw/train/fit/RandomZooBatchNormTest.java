package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Network;
import dev.thaw.train.source.SourceModel;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import dev.thaw.testing.TinyImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zoo model with random weights and batch norms, trained head only: as built its frozen batch norms hold mean 0 and
 * variance 1, pass their inputs on unscaled and ResNet50 overflows float32; the trainer estimates their statistics on
 * the training images first ({@link SourceModel#adaptBatchNorms}), and the head then trains.
 */
class RandomZooBatchNormTest {
    private static final Assignment HEAD_ONLY = new Assignment(Map.of("learning_rate", 1.0e-3, "batch_size", 8,
            "dropout", 0.0, "optimizer", "adam", "unfreeze_depth", 0));

    @TempDir
    Path dir;

    private static String study(TinyImages data, Path results) {
        return """
                name: random-resnet
                seed: 5
                model:
                  source: zoo
                  name: resnet50
                  weights: none
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  classes: [0, 1]
                  per_class: 8
                  validation_fraction: 0.25
                  image_size: 72
                objective:
                  metric: val_accuracy
                search:
                  algorithm: random
                  trials: 1
                  seed: 3
                budget:
                  epochs: 2
                space:
                  learning_rate: 1.0e-3
                  batch_size: 8
                  optimizer: adam
                  unfreeze_depth: 0
                output:
                  dir: %s
                """.formatted(data.trainImages, data.trainLabels, results);
    }

    @Test
    void aRandomResNet50TrainsHeadOnlyOnceItsBatchNormsAreEstimatedOnTheTrainingImages() throws Exception {
        StudySpec spec = new StudyFileReader().parse(study(TinyImages.write(dir.resolve("data"), 2, 8, 16),
                dir.resolve("results")));
        SourceModel source = SourceModel.load(spec);
        TargetData data = TargetData.forStudy(spec, source.input());
        TransferBuilder builder = new TransferBuilder(spec.epochs());

        Network asBuilt = builder.buildHeadOnly(source.fresh(), HEAD_ONLY, 0, 2, spec.seed());
        double lossAsBuilt = asBuilt.loss(data.train());
        assertFalse(Double.isFinite(lossAsBuilt), "as built, the frozen ResNet50 overflows: loss " + lossAsBuilt);

        List<MetricPoint> epochs = new ArrayList<>();
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, data, source).train(HEAD_ONLY, recording(epochs));
        assertInstanceOf(TrialOutcome.Finished.class, outcome);
        assertEquals(2, epochs.size());
        for (MetricPoint epoch : epochs) {
            assertTrue(Double.isFinite(epoch.trainLoss()) && Double.isFinite(epoch.validationLoss()), epoch.toString());
        }

        // the trainer set the source's statistics from the 12 training images, all in one batch: in inference mode
        // every batch norm then normalises those images to mean 0 and variance 1 per channel (gamma 1 and beta 0 as
        // initialised), up to var / (var + eps) and float32 rounding: the training-mode pass normalised by DL4J's
        // float32 batch statistics, this pass by the stored ones, and the differences pile up through 53 batch norms
        // (measured: below 1e-5 at the first, 2.2e-4 in mean and 4.1e-4 in variance at the last); 5e-3 allows for
        // that on other CPUs (as built, on Fashion-MNIST, these channel variances reach 1e2 in the first residual block,
        // 1e13 in res3a, and are not finite in the last)
        assertTrue(data.trainSize() <= SourceModel.BATCH_NORM_BATCH, "one batch");
        ComputationGraph graph = source.fresh().graph();
        INDArray x = data.train().getFeatures();
        for (String bn : List.of("stem-batch1", "bn3a_branch1", "bn5c_branch2c")) {
            // computed up to the batch norm itself (its place in the topological order), whose output no later layer
            // has changed in place yet
            int[] order = graph.topologicalSortOrder();
            int index = graph.getVertex(bn).getVertexIndex();
            int place = IntStream.range(0, order.length).filter(p -> order[p] == index).findFirst().orElseThrow();
            INDArray out = graph.feedForward(new INDArray[]{x}, place, false, true).get(bn).castTo(DataType.DOUBLE);
            INDArray mean = out.mean(0, 2, 3);
            INDArray var = out.var(false, 0, 2, 3);
            assertEquals(0.0, mean.amaxNumber().doubleValue(), 5e-3, bn + "'s largest channel mean");
            assertEquals(1.0, var.maxNumber().doubleValue(), 5e-3, bn + "'s largest channel variance");
            assertEquals(1.0, var.minNumber().doubleValue(), 5e-3, bn + "'s smallest channel variance");
        }
    }

    @Test
    void aModelOtherThanARandomZooModelIsLeftAsLoaded() throws Exception {
        Fixture f = Fixture.get();
        StudySpec spec = new StudyFileReader().parse(StudyFiles.tiny("t", f.data, f.sourceModel, dir, 1, 1));
        SourceModel source = SourceModel.load(spec);
        INDArray before = source.fresh().params();
        assertEquals(Optional.empty(), source.adaptBatchNorms(spec, TargetData.forStudy(spec, source.input())));
        assertEquals(before, source.fresh().params());
    }

    private static TrialControl recording(List<MetricPoint> epochs) {
        return new TrialControl() {
            @Override
            public PruneDecision epochFinished(MetricPoint point) {
                epochs.add(point);
                return PruneDecision.CONTINUE;
            }

            @Override
            public Optional<String> stopReason() {
                return Optional.empty();
            }
        };
    }
}
