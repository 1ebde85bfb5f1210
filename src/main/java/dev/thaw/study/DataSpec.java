package dev.thaw.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The target images: IDX files (MNIST / Fashion-MNIST format, raw or gzipped), which classes to keep, how many
 * per class, the share held out for validation, and the side length images are resized to.
 */
public record DataSpec(Path trainImages, Path trainLabels, Optional<Path> testImages, Optional<Path> testLabels,
                       List<Integer> classes, int perClass, double validationFraction, int imageSize) {
    public DataSpec {
        classes = List.copyOf(classes);
        if (classes.size() < 2) {
            throw new IllegalArgumentException("at least 2 classes are needed, got " + classes);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (testImages.isPresent() != testLabels.isPresent()) {
            throw new IllegalArgumentException("test images and test labels go together");
        }
    }

    public boolean hasTest() {
        return testImages.isPresent();
    }
}
