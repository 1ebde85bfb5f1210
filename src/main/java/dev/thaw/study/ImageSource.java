package dev.thaw.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where a study's images are on disk, in one of the formats Thaw reads. */
public sealed interface ImageSource {
    /** The study-file {@code data.format} of this source. */
    String format();

    /** True when the source holds a separate test split. */
    boolean hasTest();

    /** An IDX pair (MNIST / Fashion-MNIST format, raw or gzipped) and optionally a test pair. */
    record Idx(Path trainImages, Path trainLabels, Optional<Path> testImages, Optional<Path> testLabels)
            implements ImageSource {
        public Idx {
            if (testImages.isPresent() != testLabels.isPresent()) {
                throw new IllegalArgumentException("test images and test labels go together");
            }
        }

        @Override
        public String format() {
            return "idx";
        }

        @Override
        public boolean hasTest() {
            return testImages.isPresent();
        }
    }

    /**
     * The CIFAR-10 binary batches in one folder: {@code data_batch_*.bin} to train on, {@code test_batch.bin} (when
     * present) as the test split.
     */
    record Cifar10(Path dir) implements ImageSource {
        public static final String TEST_BATCH = "test_batch.bin";
        /** The class names, in label order. */
        public static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                "horse", "ship", "truck");

        @Override
        public String format() {
            return "cifar10";
        }

        @Override
        public boolean hasTest() {
            return Files.isRegularFile(dir.resolve(TEST_BATCH));
        }
    }

    /** One sub-folder of images per class (JPEG, PNG, BMP or GIF), and optionally a test folder laid out the same. */
    record Folders(Path train, Optional<Path> test) implements ImageSource {
        @Override
        public String format() {
            return "folder";
        }

        @Override
        public boolean hasTest() {
            return test.isPresent();
        }
    }
}
