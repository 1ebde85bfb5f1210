package dev.thaw.train.data;

import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Preprocess;
import dev.thaw.testing.TinyImages;
import org.junit.jupiter.api.io.TempDir;
import dev.thaw.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TargetDataTest {
    private static DataSpec spec(int perClass, int size) {
        Fixture f = Fixture.get();
        return DataSpec.idx(new ImageSource.Idx(f.data.trainImages, f.data.trainLabels,
                Optional.of(f.data.testImages), Optional.of(f.data.testLabels)), List.of(3, 1), perClass, 0.25, size);
    }

    @Test
    void theSplitIsStratifiedRelabelledAndSeeded() throws IOException {
        TargetData data = TargetData.load(spec(20, 12), 4);
        assertEquals(30, data.trainSize());
        assertEquals(10, data.validationSize());
        INDArray perClass = data.validation().getLabels().sum(0);
        assertArrayEquals(new double[]{5, 5}, perClass.toDoubleVector(), 0.0);
        assertArrayEquals(new long[]{30, 1, 12, 12}, data.train().getFeatures().shape());
        assertEquals(2, data.train().getLabels().columns());
        assertEquals(30, data.test().orElseThrow().numExamples(), "15 test images of each kept class");
        double max = data.train().getFeatures().maxNumber().doubleValue();
        assertTrue(max <= 1.0 && max > 0.5, "pixels scaled to [0, 1]: " + max);

        assertEquals(data.fingerprint(), TargetData.load(spec(20, 12), 4).fingerprint());
        assertNotEquals(data.fingerprint(), TargetData.load(spec(20, 12), 5).fingerprint());
    }

    @Test
    void imagesAreResizedToTheStudysSize() throws IOException {
        TargetData data = TargetData.load(spec(8, 20), 4);
        assertArrayEquals(new long[]{12, 1, 20, 20}, data.train().getFeatures().shape());
    }

    @Test
    void askingForMoreImagesThanAClassHasSaysSo() {
        IOException e = assertThrows(IOException.class, () -> TargetData.load(spec(31, 12), 4));
        assertTrue(e.getMessage().startsWith("data.per_class: class 3 has only 30 images"), e.getMessage());
    }

    @Test
    void readsRealFashionMnistWhenInstalled() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        IdxImages test = IdxImages.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                Set.of(5, 6, 7, 8, 9));
        assertEquals(5000, test.size());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
    }

    @TempDir
    Path tmp;

    private DataSpec cifar(Path dir, int size, Preprocess preprocess) {
        return new DataSpec(new ImageSource.Cifar10(dir), List.of(3, 5), List.of("cat", "dog"), 0, 0.25, size, preprocess);
    }

    @Test
    void cifar10BatchesAreReadRecordByRecordAcrossBatches() throws IOException {
        Path dir = TinyImages.writeCifar(tmp.resolve("cifar"), List.of(3, 5, 7), 2, 6);
        TargetData data = TargetData.load(cifar(dir, 16, Preprocess.UNIT), 1, 3);
        assertEquals(18, data.trainSize(), "12 images of each kept class in two batches, a quarter held out");
        assertEquals(6, data.validationSize());
        assertArrayEquals(new long[]{18, 3, 16, 16}, data.train().getFeatures().shape());
        assertEquals(6, data.test().orElseThrow().numExamples(), "test_batch.bin: 3 of each kept class");
        assertTrue(data.validationIds().stream().allMatch(id -> id.matches("data_batch_[12]\\.bin#\\d+")),
                data.validationIds().toString());

        byte[] file = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
        CifarImages cats = CifarImages.readTrain(dir, Set.of(3));
        int last = cats.size() - 1;
        assertEquals("data_batch_2.bin#15", cats.id(last), "the 6th cat of batch 2 is its 16th record");
        int record = 15 * 3073;
        assertEquals(3, file[record]);
        assertArrayEquals(java.util.Arrays.copyOfRange(file, record + 1, record + 3073), cats.pixels(last).pixels());
    }

    @Test
    void channelsFollowTheModelAndImagenetPreprocessingIsBgrLessTheMean() throws IOException {
        Path dir = TinyImages.writeCifar(tmp.resolve("cifar"), List.of(3, 5), 1, 8);
        assertArrayEquals(new long[]{12, 1, 16, 16},
                TargetData.load(cifar(dir, 16, Preprocess.UNIT), 1, 1).train().getFeatures().shape());

        TargetData unit = TargetData.load(cifar(dir, 32, Preprocess.UNIT), 1, 3);
        TargetData imagenet = TargetData.load(cifar(dir, 32, Preprocess.IMAGENET), 1, 3);
        INDArray u = unit.train().getFeatures();
        INDArray m = imagenet.train().getFeatures();
        for (int[] at : new int[][]{{0, 0, 0}, {3, 17, 5}, {11, 31, 31}}) {
            double red = u.getDouble(at[0], 0, at[1], at[2]) * 255;
            double blue = u.getDouble(at[0], 2, at[1], at[2]) * 255;
            assertEquals(blue - 103.939, m.getDouble(at[0], 0, at[1], at[2]), 1e-3, "channel 0 is blue less its mean");
            assertEquals(red - 123.68, m.getDouble(at[0], 2, at[1], at[2]), 1e-3, "channel 2 is red less its mean");
        }
        IOException gray = assertThrows(IOException.class,
                () -> TargetData.load(cifar(dir, 32, Preprocess.IMAGENET), 1, 1));
        assertTrue(gray.getMessage().startsWith("data.preprocess: imagenet needs a model of 3 input channels"));
    }

    @Test
    void imageFoldersAreListedInOrderDecodedAndSplitBySeed() throws IOException {
        Path dir = TinyImages.writeFolders(tmp.resolve("folders"), List.of("ants", "bees"), 9, 20);
        DataSpec spec = new DataSpec(new ImageSource.Folders(dir, Optional.empty()), List.of(0, 1),
                List.of("ants", "bees"), 0, 0.2, 10, Preprocess.UNIT);
        TargetData data = TargetData.load(spec, 7, 3);
        assertEquals(14, data.trainSize());
        assertEquals(4, data.validationSize(), "round(9 x 0.2) = 2 of each class");
        assertArrayEquals(new long[]{14, 3, 10, 10}, data.train().getFeatures().shape());
        assertTrue(data.test().isEmpty());
        assertEquals(data.validationIds(), TargetData.load(spec, 7, 3).validationIds());
        assertNotEquals(data.validationIds(), TargetData.load(spec, 8, 3).validationIds());
        assertTrue(data.validationIds().stream().allMatch(id -> id.matches("(ants|bees)/img-00\\d\\.(png|jpg|bmp)")),
                data.validationIds().toString());

        FolderImages files = FolderImages.list(dir, List.of("ants", "bees"), "data.train_dir");
        assertEquals(18, files.size());
        assertEquals("ants/img-000.png", files.id(0));
        assertEquals(1, files.label(9));
        RawImage png = files.pixels(0);
        RawImage gray = files.pixels(2);
        assertEquals(3, png.channels());
        assertEquals(1, gray.channels(), "a gray BMP stays one channel");
        assertEquals(20, gray.rows());
        byte[] expected = ((java.awt.image.DataBufferByte) javax.imageio.ImageIO.read(dir.resolve("ants/img-002.bmp")
                .toFile()).getRaster().getDataBuffer()).getData();
        assertArrayEquals(expected, gray.pixels(), "gray values as stored, no colour-space conversion");
    }

    @Test
    void foldsAreStratifiedDisjointAndCoverThePool() throws IOException {
        TargetData data = TargetData.load(spec(20, 12).withFolds(4), 4);
        assertEquals(4, data.folds());
        java.util.Set<String> validated = new java.util.HashSet<>();
        for (TargetData.Split split : data.splits()) {
            assertEquals(10, split.validation().numExamples(), "5 of each class in each fold");
            assertArrayEquals(new double[]{5, 5}, split.validation().getLabels().sum(0).toDoubleVector(), 0.0);
            assertEquals(30, split.train().numExamples(), "the other three folds");
            split.validationIds().forEach(id -> assertTrue(validated.add(id), "validated twice: " + id));
        }
        assertEquals(40, validated.size());
        assertEquals(data.splits().get(2).validationIds(),
                TargetData.load(spec(20, 12).withFolds(4), 4).splits().get(2).validationIds());
        IOException tooFew = assertThrows(IOException.class, () -> TargetData.load(spec(3, 12).withFolds(4), 4));
        assertTrue(tooFew.getMessage().startsWith("validation.folds: per_class 3 is fewer than the 4 folds"),
                tooFew.getMessage());
    }
}
