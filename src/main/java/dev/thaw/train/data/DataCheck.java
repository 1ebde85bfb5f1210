package dev.thaw.train.data;

import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks, before a study runs, that its images fit it: every class of {@code data.classes} has images, enough for
 * {@code per_class}, for a held-out split that leaves some to train on (so at least 2), or for k folds (at least k),
 * and has images in the test split when there is one. Each problem is a {@link DataException} that names the class
 * and the fix. The same check guards {@link TargetData#load}, so {@code validate}, {@code run} and a worker agree.
 */
public final class DataCheck {

    /**
     * Lists the study's images (labels and files; pixels are not decoded) and checks them.
     *
     * @return one count per class, in the order of {@code data.classes}
     * @throws DataException bad data, with a one-line message naming the field, the class and the fix
     * @throws IOException   the data cannot be read
     */
    public List<ClassCount> check(DataSpec spec) throws IOException {
        Set<Integer> keep = new HashSet<>(spec.classes());
        ImageSet train = ImageSet.train(spec.source(), keep, spec.classNames());
        Optional<ImageSet> test = spec.hasTest() ? Optional.of(ImageSet.test(spec.source(), keep, spec.classNames()))
                : Optional.empty();
        return counts(spec, train, test);
    }

    /** The counts of {@link #check}, from image sets already read. */
    static List<ClassCount> counts(DataSpec spec, ImageSet train, Optional<ImageSet> test) throws DataException {
        int[] found = tally(spec, train);
        Optional<int[]> inTest = test.map(t -> tally(spec, t));
        List<ClassCount> counts = new ArrayList<>();
        for (int c = 0; c < found.length; c++) {
            String name = spec.classNames().get(c);
            int n = found[c];
            String where = where(spec.source(), name, false);
            if (n == 0) {
                throw new DataException("data.classes: class " + name + " has no images in " + where
                        + (spec.source() instanceof ImageSource.Folders ? " (" + FolderImages.KINDS + " files; names "
                        + "starting with '.' are skipped)" : "") + "; add images or leave " + name
                        + " out of data.classes");
            }
            int need = spec.folds() > 1 ? spec.folds() : 2;
            if (n < need) {
                throw tooFew(spec, name, n, where);
            }
            if (spec.perClass() > n) {
                throw new DataException("data.per_class: class " + name + " has only " + images(n) + " in " + where
                        + ", " + spec.perClass() + " asked; lower per_class to " + n + ", add images, or leave " + name
                        + " out of data.classes");
            }
            int used = spec.perClass() > 0 ? spec.perClass() : n;
            int held = spec.folds() > 1 ? 0 : held(used, spec.validationFraction());
            if (used < need || held >= used) {
                throw tooFewUsed(spec, name, used, where);
            }
            OptionalInt testCount = OptionalInt.empty();
            if (inTest.isPresent()) {
                int t = inTest.get()[c];
                if (t == 0) {
                    throw new DataException(testField(spec.source()) + ": class " + name + " has no images in "
                            + where(spec.source(), name, true) + "; add test images of " + name + " or leave it out "
                            + "of data.classes");
                }
                testCount = OptionalInt.of(t);
            }
            counts.add(new ClassCount(name, n, used, held, testCount));
        }
        return List.copyOf(counts);
    }

    /**
     * Images held out for validation from a class's {@code used} images on one split: {@code validation_fraction} of
     * them, rounded, and at least one.
     */
    static int held(int used, double fraction) {
        return Math.max(1, (int) Math.round(used * fraction));
    }

    /** A class with fewer images than a held-out split (2) or k folds (k) need. */
    private static DataException tooFew(DataSpec spec, String name, int n, String where) {
        String leaveOut = "leave " + name + " out of data.classes";
        if (spec.folds() > 1) {
            int k = spec.folds();
            return new DataException("validation.folds: class " + name + " has " + images(n) + " in " + where
                    + ", and " + k + " folds need at least " + k + " of each class (each fold holds one out); "
                    + (n >= 2 ? "use folds: " + n + ", add images, or " : "add images or ") + leaveOut);
        }
        return new DataException("data.classes: class " + name + " has 1 image in " + where + ", and a class needs "
                + "at least 2 (one to train on, one to validate); add images or " + leaveOut);
    }

    /** A class that has enough images, but per_class or validation_fraction leaves too few to train on. */
    private static DataException tooFewUsed(DataSpec spec, String name, int used, String where) {
        if (spec.folds() > 1) {
            int k = spec.folds();
            return new DataException("validation.folds: per_class " + used + " is fewer than the " + k + " folds "
                    + "(each fold holds out at least one image of each class); raise data.per_class to " + k
                    + " or lower folds");
        }
        if (used < 2) {
            return new DataException("data.per_class: 1 image of each class leaves none to train on once one is held "
                    + "out for validation; use per_class: 2 or more");
        }
        // round(used * f) <= used - 1 exactly when used * f < used - 0.5
        double below = Math.floor((used - 0.5) / used * 1000) / 1000;
        return new DataException(String.format(Locale.ROOT, "data.validation_fraction: %s holds out all %d images "
                        + "of class %s%s, leaving none to train on; use validation_fraction below %s, or %s",
                spec.validationFraction(), used, name, spec.perClass() > 0 ? " (per_class)" : " in " + where, below,
                spec.perClass() > 0 ? "raise per_class" : "add images"));
    }

    private static int[] tally(DataSpec spec, ImageSet images) {
        int[] counts = new int[spec.classes().size()];
        for (int label : images.labels()) {
            int c = spec.classes().indexOf(label);
            if (c >= 0) {
                counts[c]++;
            }
        }
        return counts;
    }

    private static String images(int n) {
        return n + (n == 1 ? " image" : " images");
    }

    /** Where a class's images are, for people: its folder, or the file or folder of the packed images. */
    private static String where(ImageSource source, String name, boolean test) {
        if (source instanceof ImageSource.Idx idx) {
            return (test ? idx.testImages().orElseThrow() : idx.trainImages()).toString();
        } else if (source instanceof ImageSource.Cifar10 cifar) {
            return test ? cifar.dir().resolve(ImageSource.Cifar10.TEST_BATCH).toString()
                    : cifar.dir().resolve("data_batch_N.bin").toString();
        }
        ImageSource.Folders folders = (ImageSource.Folders) source;
        return (test ? folders.test().orElseThrow() : folders.train()).resolve(name).toString();
    }

    private static String testField(ImageSource source) {
        if (source instanceof ImageSource.Idx) {
            return "data.test_images";
        } else if (source instanceof ImageSource.Cifar10) {
            return "data.dir";
        }
        return "data.test_dir";
    }
}
