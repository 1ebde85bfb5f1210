package dev.thaw.train.data;

import dev.thaw.study.ImageSource;

import java.io.IOException;
import java.util.Set;

/**
 * Labelled images of one split, read lazily where decoding is costly: labels and ids are known up front, pixels
 * when asked. Only images of the wanted classes are listed.
 */
interface ImageSet {
    /** Each image's class label, as the study's {@code data.classes} number it. */
    int[] labels();

    default int size() {
        return labels().length;
    }

    default int label(int i) {
        return labels()[i];
    }

    /** Where the image comes from, for people: a file path, or the file and index of a packed image. */
    String id(int i);

    RawImage pixels(int i) throws IOException;

    /** The training images of {@code source}, of the classes in {@code keep}. */
    static ImageSet train(ImageSource source, Set<Integer> keep, java.util.List<String> classNames) throws IOException {
        if (source instanceof ImageSource.Idx idx) {
            return IdxImages.read(idx.trainImages(), idx.trainLabels(), keep);
        } else if (source instanceof ImageSource.Cifar10 cifar) {
            return CifarImages.readTrain(cifar.dir(), keep);
        }
        return FolderImages.list(((ImageSource.Folders) source).train(), classNames, "data.train_dir");
    }

    /** The test images of {@code source} (which has a test split), of the classes in {@code keep}. */
    static ImageSet test(ImageSource source, Set<Integer> keep, java.util.List<String> classNames) throws IOException {
        if (source instanceof ImageSource.Idx idx) {
            return IdxImages.read(idx.testImages().orElseThrow(), idx.testLabels().orElseThrow(), keep);
        } else if (source instanceof ImageSource.Cifar10 cifar) {
            return CifarImages.read(cifar.dir().resolve(ImageSource.Cifar10.TEST_BATCH), keep);
        }
        return FolderImages.list(((ImageSource.Folders) source).test().orElseThrow(), classNames, "data.test_dir");
    }
}
