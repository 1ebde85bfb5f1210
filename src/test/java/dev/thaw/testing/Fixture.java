package dev.thaw.testing;

import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.train.fit.Pretrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Tiny IDX data (4 classes, 12×12 pixels) and a built-in CNN pretrained on its classes 0 and 1, made once per test
 * JVM in a temporary directory and shared read-only by the tests that need a real source model.
 */
public final class Fixture {
    public static final int IMAGE_SIZE = 12;
    private static Fixture instance;

    public final Path dir;
    public final TinyImages data;
    public final Path sourceModel;

    private Fixture(Path dir, TinyImages data, Path sourceModel) {
        this.dir = dir;
        this.data = data;
        this.sourceModel = sourceModel;
    }

    public static synchronized Fixture get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("thaw-fixture");
                TinyImages data = TinyImages.write(dir.resolve("data"), 4, 30, IMAGE_SIZE);
                Path model = dir.resolve("source.zip");
                DataSpec source = DataSpec.idx(new ImageSource.Idx(data.trainImages, data.trainLabels, Optional.empty(),
                        Optional.empty()), List.of(0, 1), 30, 0.2, IMAGE_SIZE);
                new Pretrainer().pretrain(source, 1, 11, model, p -> { });
                instance = new Fixture(dir, data, model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }
}
