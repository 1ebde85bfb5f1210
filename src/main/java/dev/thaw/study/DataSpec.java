package dev.thaw.study;

import java.util.List;

/**
 * The target images: where they are, which classes to keep, how many images of each, the share held out for
 * validation, the side length images are resized to, and how pixels are scaled.
 *
 * @param classes    the kept classes' labels as the source numbers them (IDX and CIFAR-10 labels; for image folders,
 *                   0..k-1 in the order of {@code classNames}); empty only for image folders whose study file
 *                   lists no classes, until the data's machine fills them in ({@link #classesPending()})
 * @param classNames the classes' names, in the order of {@code classes} (IDX: the labels as text; CIFAR-10: its
 *                   names; folders: the sub-folder names)
 * @param perClass   images of each class to use; 0 for all of them
 * @param folds      k >= 2 for k-fold cross-validation (each fold holds out 1/k of each class's images, and
 *                   {@code validationFraction} does not apply); 1 for one held-out split
 */
public record DataSpec(ImageSource source, List<Integer> classes, List<String> classNames, int perClass,
                       double validationFraction, int imageSize, Preprocess preprocess, int folds) {
    public DataSpec {
        classes = List.copyOf(classes);
        classNames = List.copyOf(classNames);
        if (classes.size() < 2 && !(classes.isEmpty() && source instanceof ImageSource.Folders)) {
            throw new IllegalArgumentException("at least 2 classes are needed, got " + classes);
        }
        if (classNames.size() != classes.size()) {
            throw new IllegalArgumentException("one name per class: " + classes + " vs " + classNames);
        }
        if (perClass < 0) {
            throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (folds < 1) {
            throw new IllegalArgumentException("folds must be >= 1, got " + folds);
        }
    }

    /** Data validated on one held-out split. */
    public DataSpec(ImageSource source, List<Integer> classes, List<String> classNames, int perClass,
                    double validationFraction, int imageSize, Preprocess preprocess) {
        this(source, classes, classNames, perClass, validationFraction, imageSize, preprocess, 1);
    }

    /**
     * True when the classes are not known yet: image folders whose study file lists none take every sub-folder,
     * which only the machine holding the data can list (see {@link #withClassNames}).
     */
    public boolean classesPending() {
        return classes.isEmpty();
    }

    /** The same image folders with these classes (sub-folder names), labelled 0..k-1 in this order. */
    public DataSpec withClassNames(List<String> names) {
        return new DataSpec(source, java.util.stream.IntStream.range(0, names.size()).boxed().toList(), names, perClass,
                validationFraction, imageSize, preprocess, folds);
    }

    /** The same data cross-validated over {@code k} folds. */
    public DataSpec withFolds(int k) {
        return new DataSpec(source, classes, classNames, perClass, validationFraction, imageSize, preprocess, k);
    }

    /** IDX data with the labels as names, scaled to [0, 1]. */
    public static DataSpec idx(ImageSource.Idx source, List<Integer> classes, int perClass, double validationFraction,
                               int imageSize) {
        return new DataSpec(source, classes, classes.stream().map(String::valueOf).toList(), perClass,
                validationFraction, imageSize, Preprocess.UNIT);
    }

    public boolean hasTest() {
        return source.hasTest();
    }
}
