package dev.thaw.cli;

import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import dev.thaw.testing.TinyImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image folders as people leave them: hidden copies, system junk, links, classes with too few images. What is not an
 * image is skipped, what pretends to be one is named, and a class that cannot be split is named with its fix, at
 * {@code validate} and at {@code run}, before anything trains (exit 2, nothing recorded).
 */
class BadDataTest {
    @TempDir
    Path dir;

    private Path train;
    private Path test;

    /** The tiny study on image folders (the built-in source model, 12x12 gray), with {@code data} extra keys. */
    private Path study(String extra) throws Exception {
        Fixture f = Fixture.get();
        String data = """
                data:
                  format: folder
                  train_dir: %s
                %s  image_size: 12
                  validation_fraction: 0.2
                %s""".formatted(train, test == null ? "" : "  test_dir: " + test + "\n", extra);
        String text = StudyFiles.replaceSection(StudyFiles.tiny("folders", f.data, f.sourceModel, dir.resolve("results"),
                1, 1), "data", data);
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** {@code validate} and {@code run} both refuse the study with exactly {@code message}, and nothing is recorded. */
    private void refused(Path study, String message) {
        for (String command : List.of("validate", "run")) {
            Cli cli = Cli.run(command, study.toString());
            assertEquals(2, cli.exit(), command + ": " + cli);
            assertEquals("error: " + message + "\n", located(cli.err()), command);
        }
        assertFalse(Files.exists(dir.resolve("results").resolve("thaw.mv.db")), "nothing is recorded");
    }

    /** An error line without the " (line N)" that points at its field in the study file, which it must have. */
    private static String located(String err) {
        assertTrue(err.matches("(?s).* \\(line \\d+\\)\n"), "the error names its line: " + err);
        return err.replaceFirst(" \\(line \\d+\\)\n$", "\n");
    }

    private Cli validateRefuses(Path study) {
        Cli cli = Cli.run("validate", study.toString());
        assertEquals(2, cli.exit(), cli.toString());
        assertEquals(1, cli.err().lines().count(), cli.err());
        return cli;
    }

    @Test
    void hiddenEntriesAndSystemJunkUnderAClassFolderAreSkippedAndValidateCountsEachClass() throws Exception {
        train = TinyImages.writeFolders(dir.resolve("train"), List.of("bag", "shoe"), 10, 16);
        test = TinyImages.writeFolders(dir.resolve("test"), List.of("bag", "shoe"), 3, 16);
        Path bag = train.resolve("bag");
        Path shoe = train.resolve("shoe");
        // Jupyter's checkpoints: a copy of every image, in a hidden folder of the class folder (and of the test's)
        copyTree(TinyImages.writeFolders(dir.resolve("copies"), List.of("bag"), 10, 16).resolve("bag"),
                bag.resolve(".ipynb_checkpoints"));
        copyTree(test.resolve("bag"), test.resolve("bag").resolve(".ipynb_checkpoints"));
        // a hidden folder deeper down, hidden files with image names (macOS's ._ copies), system files
        copyTree(bag, shoe.resolve("more").resolve(".old"));
        Files.write(bag.resolve("._img-000.png"), new byte[]{0, 5, 22, 7, 0, 2, 0, 0});
        Files.writeString(bag.resolve(".DS_Store"), "Bud1");
        Files.writeString(bag.resolve("Thumbs.db"), "thumbnails");
        Files.writeString(shoe.resolve("desktop.ini"), "[.ShellClassInfo]");
        // a visible sub-folder is part of its class
        Files.copy(shoe.resolve("img-000.png"), Files.createDirectories(shoe.resolve("more")).resolve("img-100.png"));
        // a linked class folder is followed
        Path elsewhere = TinyImages.writeFolders(dir.resolve("elsewhere"), List.of("hat"), 5, 16);
        Files.createSymbolicLink(train.resolve("hat"), elsewhere.resolve("hat"));
        Files.createSymbolicLink(test.resolve("hat"), elsewhere.resolve("hat"));
        Path study = study("");

        Cli validate = Cli.run("validate", study.toString());
        assertEquals(0, validate.exit(), validate.toString());
        String out = validate.out();
        assertTrue(out.contains("images: 3 classes, 26 found, 26 used (21 train, 5 validation), 11 test"), out);
        assertTrue(out.matches("(?s).*\\n  class\\s+found\\s+train\\s+validation\\s+test\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  bag\\s+10\\s+8\\s+2\\s+3\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  hat\\s+5\\s+4\\s+1\\s+5\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  shoe\\s+11\\s+9\\s+2\\s+3\\n.*"), out);

        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("data: 21 training and 5 validation images"), run.out());
    }

    @Test
    void aFileThatOnlyLooksLikeAnImageIsNamedAndSoIsASymlinkLoop() throws Exception {
        train = TinyImages.writeFolders(dir.resolve("train"), List.of("bag", "shoe"), 6, 16);
        Files.writeString(train.resolve("bag").resolve("notes.jpg"), "not a picture");
        Path study = study("");
        refused(study, "data.train_dir: bag/notes.jpg is not a JPEG, PNG, BMP or GIF image ImageIO can read, whatever "
                + "the name says; delete, convert or move it out of " + train);

        Files.writeString(train.resolve("shoe").resolve("page.png"), "<html></html>");
        Files.write(train.resolve("shoe").resolve("empty.gif"), new byte[0]);
        Files.write(train.resolve("shoe").resolve("cut.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        assertTrue(validateRefuses(study).err().startsWith("error: data.train_dir: 4 files (bag/notes.jpg, "
                + "shoe/cut.png, shoe/empty.gif, ...) are not JPEG, PNG, BMP or GIF images ImageIO can read"));

        for (String junk : List.of("bag/notes.jpg", "shoe/page.png", "shoe/empty.gif", "shoe/cut.png")) {
            Files.delete(train.resolve(junk));
        }
        Files.createSymbolicLink(train.resolve("bag").resolve("loop"), train.resolve("bag"));
        refused(study, "data.train_dir: bag/loop links back to a folder that holds it (a symlink loop); remove the link");
    }

    @Test
    void aClassWithOneImageIsNamedWithWhatItNeeds() throws Exception {
        train = TinyImages.writeFolders(dir.resolve("train"), List.of("bag", "shoe"), 10, 16);
        TinyImages.writeFolders(train, List.of("hat"), 1, 16);
        Path hat = train.resolve("hat");
        refused(study(""), "data.classes: class hat has 1 image in " + hat + ", and a class needs at least 2 (one to "
                + "train on, one to validate); add images or leave hat out of data.classes");
        refused(study("validation:\n  folds: 3\n"), "validation.folds: class hat has 1 image in " + hat + ", and 3 "
                + "folds need at least 3 of each class (each fold holds one out); add images or leave hat out of "
                + "data.classes");

        // left out of data.classes, the rest runs
        Path study = study("  classes: [bag, shoe]\n");
        Cli validate = Cli.run("validate", study.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertTrue(validate.out().contains("images: 2 classes, 20 found, 20 used (16 train, 4 validation)"),
                validate.out());
        Cli folds = Cli.run("validate", study("  classes: [bag, shoe]\nvalidation:\n  folds: 3\n").toString());
        assertEquals(0, folds.exit(), folds.toString());
        assertTrue(folds.out().contains("images: 2 classes, 20 found, 20 used in 3 folds"), folds.out());
        assertTrue(folds.out().matches("(?s).*\\n  class\\s+found\\s+used\\s+per fold\\n  bag\\s+10\\s+10\\s+3-4\\n.*"),
                folds.out());
    }

    @Test
    void everyClassTooSmallForTheSplitIsNamedWithItsFix() throws Exception {
        train = TinyImages.writeFolders(dir.resolve("train"), List.of("bag", "shoe"), 10, 16);
        TinyImages.writeFolders(train, List.of("hat"), 2, 16);
        Path hat = train.resolve("hat");
        Path bag = train.resolve("bag");

        refused(study("validation:\n  folds: 3\n"), "validation.folds: class hat has 2 images in " + hat + ", and 3 "
                + "folds need at least 3 of each class (each fold holds one out); use folds: 2, add images, or leave "
                + "hat out of data.classes");
        assertTrue(validateRefuses(study("  classes: [bag, shoe]\n  per_class: 2\nvalidation:\n  folds: 3\n")).err()
                .startsWith("error: validation.folds: per_class 2 is fewer than the 3 folds (each fold holds out at "
                        + "least one image of each class); raise data.per_class to 3 or lower folds"));
        Path fraction = study("");
        Files.writeString(fraction, Files.readString(fraction).replace("validation_fraction: 0.2",
                "validation_fraction: 0.8"));
        assertEquals("error: data.validation_fraction: 0.8 holds out all 2 images of class hat in " + hat + ", leaving "
                + "none to train on; use validation_fraction below 0.75, or add images\n", located(validateRefuses(fraction).err()));
        assertEquals("error: data.per_class: class bag has only 10 images in " + bag + ", 12 asked; lower per_class to "
                + "10, add images, or leave bag out of data.classes\n",
                located(validateRefuses(study("  classes: [bag, shoe]\n  per_class: 12\n")).err()));
        assertTrue(validateRefuses(study("  per_class: 1\n")).err().startsWith("error: data.per_class: 1 image of "
                + "each class leaves none to train on once one is held out for validation; use per_class: 2 or more"));

        // a class folder with nothing but hidden files has no images
        Files.walk(hat).filter(Files::isRegularFile).toList().forEach(p -> p.toFile().delete());
        Files.writeString(hat.resolve(".DS_Store"), "Bud1");
        refused(study(""), "data.classes: class hat has no images in " + hat + " (JPEG, PNG, BMP or GIF files; names "
                + "starting with '.' are skipped); add images or leave hat out of data.classes");
    }

    @Test
    void aTestFolderWithoutAClassSaysWhichAndHowToFixIt() throws Exception {
        train = TinyImages.writeFolders(dir.resolve("train"), List.of("bag", "shoe"), 6, 16);
        test = TinyImages.writeFolders(dir.resolve("test"), List.of("bag"), 2, 16);
        refused(study(""), "data.test_dir: no sub-folder 'shoe' in " + test + "; add shoe's images there, or leave shoe "
                + "out of data.classes");

        Files.createDirectories(test.resolve("shoe").resolve(".ipynb_checkpoints"));
        refused(study(""), "data.test_dir: class shoe has no images in " + test.resolve("shoe") + "; add test images of "
                + "shoe or leave it out of data.classes");
    }

    @Test
    void anIdxLabelWithNoImagesIsNamed() throws Exception {
        Fixture f = Fixture.get();
        Path study = dir.resolve("idx.yaml");
        Files.writeString(study, StudyFiles.tiny("idx", f.data, f.sourceModel, dir.resolve("results"), 1, 1)
                .replace("classes: [2, 3]", "classes: [2, 9]"));
        refused(study, "data.classes: class 9 has no images in " + f.data.trainImages + "; add images or leave 9 out of "
                + "data.classes");

        // files that exist but are not the study's pair: images given as labels are bad input too (exit 2, not 1)
        String tiny = StudyFiles.tiny("idx", f.data, f.sourceModel, dir.resolve("results"), 1, 1);
        Files.writeString(study, tiny.replace("train_labels: " + f.data.trainLabels, "train_labels: " + f.data.trainImages));
        String err = validateRefuses(study).err();
        assertTrue(err.startsWith("error: data: cannot read the idx data: ") && err.strip().endsWith(")"), err);
    }
}
