package dev.thaw.train;

import dev.thaw.study.DataSpec;
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
        return new DataSpec(f.data.trainImages, f.data.trainLabels, Optional.of(f.data.testImages),
                Optional.of(f.data.testLabels), List.of(3, 1), perClass, 0.25, size);
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
}
