package dev.thaw.train;

import dev.thaw.train.data.ClassCount;
import dev.thaw.train.data.DataCheck;
import dev.thaw.train.data.DataException;
import dev.thaw.train.source.SourceModel;
import dev.thaw.train.source.SourceModelException;

import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.Printable;
import dev.thaw.study.StudySpec;
import dev.thaw.study.SuggestedCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The environment check of a parsed study, run where its trials train (the CLI's {@code validate} and {@code run},
 * a worker, a scheduled run): the files it names exist, image folders' classes are resolved, and the source model
 * fits the images ({@link SourceModelCheck}). The parser ({@code study.yaml}) never looks at the file system; this is
 * the one place that does before training.
 */
public final class StudyEnvironment {

    /**
     * A study whose files exist here, with its classes resolved; {@code blocks} is the backbone's block count and
     * {@code counts} the images each class has and how the study uses them; {@code source} the source model, loaded
     * once here for the run that follows (its data and every trial of this process).
     */
    public record Checked(StudySpec spec, int blocks, List<ClassCount> counts, SourceModel source) {
        public Checked {
            counts = List.copyOf(counts);
        }
    }

    /**
     * Checks {@code spec} against this machine: files, classes, enough images of each class ({@link DataCheck}), and
     * the source model ({@link SourceModelCheck}).
     *
     * @throws SourceModelException a file or the model does not fit; the message starts with the field path
     * @throws DataException        a class has too few images or a file is not an image; the message starts with the
     *                              field path
     * @throws IOException          the data cannot be read
     */
    public Checked check(StudySpec spec) throws SourceModelException, IOException {
        StudySpec resolved = files(spec);
        List<ClassCount> counts;
        try {
            counts = new DataCheck().check(resolved.data());
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            // files that exist but are not what the study says (labels of another set, images named as labels, ...)
            throw new DataException("data: cannot read the " + resolved.data().source().format() + " data: "
                    + Printable.firstLine(e) + "; check the files data names");
        }
        SourceModel source = SourceModelCheck.load(resolved);
        return new Checked(resolved, new SourceModelCheck().check(resolved, source), counts, source);
    }

    /** The file checks alone, and image folders' classes resolved; the model is not loaded. */
    public StudySpec files(StudySpec spec) throws SourceModelException {
        ModelSpec model = spec.model();
        if (model.path().isPresent()) {
            String hint = switch (model.source()) {
                case BUILTIN -> "for the built-in model run: " + SuggestedCommand.of("pretrain", "--out",
                        model.path().get().toString());
                case KERAS -> "save the Keras model with model.save('model.h5') (HDF5, Keras 1 or 2)";
                default -> "save the DL4J model with ModelSerializer.writeModel";
            };
            file("model.path", model.path().get(), hint);
        }
        Path out = spec.output().dir();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new SourceModelException("output.dir: " + out + " is a file; name a folder for the results");
        }
        DataSpec data = spec.data();
        if (data.source() instanceof ImageSource.Idx idx) {
            String hint = "for Fashion-MNIST install Debian's dataset-fashion-mnist (apt-get install "
                    + "dataset-fashion-mnist) or fetch it with scripts/fashion-mnist";
            file("data.train_images", idx.trainImages(), hint);
            file("data.train_labels", idx.trainLabels(), hint);
            if (idx.testImages().isPresent()) {
                file("data.test_images", idx.testImages().get(), hint);
                file("data.test_labels", idx.testLabels().orElseThrow(), hint);
            }
        } else if (data.source() instanceof ImageSource.Cifar10 cifar) {
            cifar(cifar.dir());
            if (spec.metric().needsTestData() && !cifar.hasTest()) {
                throw new SourceModelException("objective.metric: " + spec.metric().key() + " needs test data, and "
                        + cifar.dir() + " holds no " + ImageSource.Cifar10.TEST_BATCH + "; add it or rank by a "
                        + "val_ metric");
            }
        } else if (data.source() instanceof ImageSource.Folders folders) {
            List<String> found = subFolders("data.train_dir", folders.train());
            if (folders.test().isPresent()) {
                subFolders("data.test_dir", folders.test().get());
            }
            if (data.classesPending()) {
                if (found.size() < 2) {
                    throw new SourceModelException("data.train_dir: at least 2 classes are needed (one sub-folder "
                            + "each), " + folders.train() + " has " + found.size());
                }
                return spec.withData(data.withClassNames(found));
            }
            for (int i = 0; i < data.classNames().size(); i++) {
                String name = data.classNames().get(i);
                if (!found.contains(name)) {
                    throw new SourceModelException("data.classes[" + i + "]: no sub-folder '" + name + "' in "
                            + folders.train() + "; it has: " + String.join(", ", found));
                }
            }
        }
        return spec;
    }

    private static void file(String field, Path path, String hint) throws SourceModelException {
        if (Files.isDirectory(path)) {
            throw new SourceModelException(field + ": " + path + " is a folder; name a file in it");
        }
        if (!Files.isRegularFile(path)) {
            throw new SourceModelException(field + ": file not found: " + path + "; " + hint);
        }
    }

    private static void cifar(Path dir) throws SourceModelException {
        if (!Files.isDirectory(dir)) {
            throw new SourceModelException("data.dir: folder not found: " + dir
                    + "; point it at the extracted cifar-10-batches-bin");
        }
        try (var batches = Files.list(dir)) {
            if (batches.noneMatch(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"))) {
                throw new SourceModelException("data.dir: " + dir + " holds no data_batch_N.bin file; point it at the "
                        + "extracted cifar-10-batches-bin (the binary version)");
            }
        } catch (IOException e) {
            throw new SourceModelException("data.dir: cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** The visible sub-folders of {@code dir}, sorted (names starting with '.' are hidden and skipped). */
    private static List<String> subFolders(String field, Path dir) throws SourceModelException {
        if (!Files.isDirectory(dir)) {
            throw new SourceModelException(field + ": folder not found: " + dir
                    + "; it needs one sub-folder of images per class");
        }
        try (var children = Files.list(dir)) {
            List<String> names = new ArrayList<>(children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList());
            for (String n : names) {
                if (n.chars().anyMatch(Character::isISOControl)) { // as a listed class name would be refused
                    throw new SourceModelException(field + ": the sub-folder '" + Printable.of(n)
                            + "' of " + dir + " has control characters in its name; rename it or move it out");
                }
            }
            return names;
        } catch (IOException e) {
            throw new SourceModelException(field + ": cannot list " + dir + ": " + e.getMessage());
        }
    }
}
