package dev.thaw.train.data;

import dev.thaw.train.fit.Dl4jTrialTrainer;
import dev.thaw.train.fit.KeptNetwork;
import dev.thaw.train.fit.TrialControl;
import dev.thaw.train.source.Network;

import dev.thaw.study.Assignment;
import dev.thaw.study.Augmentation;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmenterTest {
    @TempDir
    Path dir;

    private static List<DataSet> images(int n) {
        Nd4j.getRandom().setSeed(11);
        return new DataSet(Nd4j.rand(new int[]{n, 3, 8, 10}), Nd4j.zeros(n, 2)).asList();
    }

    private static float[] pixels(List<DataSet> examples) {
        return Nd4j.concat(0, examples.stream().map(DataSet::getFeatures).toArray(INDArray[]::new)).data().asFloat();
    }

    @Test
    void theSameSeedAndEpochGiveTheSameImagesAndAnotherEpochOthers() {
        List<DataSet> examples = images(6);
        Augmentation strong = Augmentation.Preset.STRONG.settings();
        float[] first = pixels(new Augmenter(strong, false, 1, 42).epoch(examples, 1));
        assertArrayEquals(first, pixels(new Augmenter(strong, false, 1, 42).epoch(examples, 1)));
        assertFalse(java.util.Arrays.equals(first, pixels(new Augmenter(strong, false, 1, 42).epoch(examples, 2))));
        assertFalse(java.util.Arrays.equals(first, pixels(new Augmenter(strong, false, 1, 43).epoch(examples, 1))));
        assertFalse(java.util.Arrays.equals(first, pixels(examples)), "the images did change");
        assertFalse(new Augmenter(Augmentation.NONE, false, 1, 42).active());
    }

    @Test
    void aFlipMirrorsEveryRowExactlyInEitherLayout() {
        INDArray image = images(1).get(0).getFeatures();
        Augmenter flip = new Augmenter(new Augmentation(1, 0, 0, 0), false, 1, 1);
        INDArray flipped = flip.augment(image, new Random(1));
        for (int x = 0; x < 10; x++) {
            assertEquals(image.getFloat(0, 2, 3, x), flipped.getFloat(0, 2, 3, 9 - x), 0f);
        }
        INDArray nhwc = image.permute(0, 2, 3, 1).dup('c');
        INDArray flippedNhwc = new Augmenter(new Augmentation(1, 0, 0, 0), true, 1, 1).augment(nhwc, new Random(1));
        assertArrayEquals(flipped.permute(0, 2, 3, 1).dup('c').data().asFloat(), flippedNhwc.data().asFloat());
    }

    @Test
    void brightnessShiftsEveryPixelAlikeWithinItsShareOfTheRange() {
        INDArray image = images(1).get(0).getFeatures();
        INDArray brighter = new Augmenter(new Augmentation(0, 0, 0, 0.2), false, 255, 1).augment(image, new Random(5));
        INDArray diff = brighter.sub(image);
        double shift = diff.getDouble(0, 0, 0, 0);
        assertTrue(Math.abs(shift) <= 0.2 * 255 && shift != 0, "shift " + shift);
        assertEquals(shift, diff.minNumber().doubleValue(), 1e-3);
        assertEquals(shift, diff.maxNumber().doubleValue(), 1e-3);
    }

    /**
     * In a trial, augmentation changes the training batches only: the validation images are untouched, the same
     * study and seed reproduce the trial exactly, and the trained model differs from one trained without it.
     */
    @Test
    void aTrialAugmentsTrainingBatchesOnlyAndReproducibly() throws Exception {
        StudySpec spec = new StudyFileReader().parse(StudyFiles.tiny("aug", Fixture.get().data,
                Fixture.get().sourceModel, dir, 1, 2));
        TargetData data = TargetData.load(spec.data(), spec.seed());
        float[] validation = data.validation().getFeatures().dup().data().asFloat();
        Map<String, Object> base = Map.of("learning_rate", 0.01, "batch_size", 8, "dropout", 0.0,
                "optimizer", "adam", "unfreeze_depth", 1);
        Assignment plain = new Assignment(base);
        Assignment strong = plain.with(dev.thaw.study.Hyperparameter.AUGMENT, "strong");
        Dl4jTrialTrainer trainer = new Dl4jTrialTrainer(spec, data);
        float[] a = ((KeptNetwork) trainer.train(strong, TrialControl.NONE).finished().model()).network().params().data().asFloat();
        float[] b = ((KeptNetwork) trainer.train(strong, TrialControl.NONE).finished().model()).network().params().data().asFloat();
        float[] none = ((KeptNetwork) trainer.train(plain, TrialControl.NONE).finished().model()).network().params().data().asFloat();
        assertArrayEquals(a, b, "same study, same seed: the same augmented batches");
        assertFalse(java.util.Arrays.equals(a, none), "augmentation changed what the model saw");
        assertArrayEquals(validation, data.validation().getFeatures().data().asFloat(), "validation images untouched");
    }
}
