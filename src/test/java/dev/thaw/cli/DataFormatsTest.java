package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import dev.thaw.testing.TinyImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Studies on CIFAR-10 binary batches and on image folders, end to end through the command line. */
class DataFormatsTest {
    @TempDir
    Path dir;

    /** The tiny study with its data section replaced by {@code data}. */
    private Path study(String name, String data, String metric) throws Exception {
        Fixture f = Fixture.get();
        String text = StudyFiles.replaceSection(StudyFiles.tiny(name, f.data, f.sourceModel, dir.resolve("results"), 2, 1),
                "data", data).replace("metric: val_accuracy", "metric: " + metric);
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private void runsAndExports(String name, Path study) {
        Cli.runAllComplete(study, dir.resolve("results"), name, 2);
        Path best = dir.resolve(name + "-best.yaml");
        Cli export = Cli.run("export", name, "--out", best.toString(), "--results", dir.resolve("results").toString());
        assertEquals(0, export.exit(), export.toString());
        Cli validate = Cli.run("validate", best.toString());
        assertEquals(0, validate.exit(), validate.toString());
    }

    @Test
    void aStudyOnCifar10BatchesRunsWithClassesByName() throws Exception {
        Path cifar = TinyImages.writeCifar(dir.resolve("cifar-10-batches-bin"), List.of(2, 3, 4), 2, 10);
        Path study = study("cifar", """
                data:
                  format: cifar10
                  dir: %s
                  classes: [bird, cat]
                  image_size: 12
                """.formatted(cifar), "test_accuracy");
        runsAndExports("cifar", study);
        String exported = Files.readString(dir.resolve("cifar-best.yaml"));
        assertTrue(exported.contains("- bird") && exported.contains("- cat"), exported);
    }

    @Test
    void aStudyOnImageFoldersRunsWithATestFolder() throws Exception {
        Path train = TinyImages.writeFolders(dir.resolve("train"), List.of("ants", "bees"), 15, 16);
        Path test = TinyImages.writeFolders(dir.resolve("test"), List.of("ants", "bees"), 4, 16);
        Path study = study("folders", """
                data:
                  format: folder
                  train_dir: %s
                  test_dir: %s
                  per_class: 12
                  image_size: 12
                """.formatted(train, test), "test_f1");
        runsAndExports("folders", study);

        Files.writeString(study, Files.readString(study).replace("per_class: 12", "classes: [ants, wasps]"));
        Cli unknown = Cli.run("validate", study.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("data.classes[1]: no sub-folder 'wasps' in " + train + "; it has: ants, bees"),
                unknown.err());
    }

    /**
     * Image folders named 1.50 and 2.00, classes left out of the study file (so they are the sub-folders' names): the
     * export names them as the run resolved them, validates, and reads back to that study with the best trial's values.
     */
    @Test
    void anExportOfFoldersNamedLikeNumbersReadsBackToItsStudy() throws Exception {
        Fixture f = Fixture.get();
        Path train = TinyImages.writeFolders(dir.resolve("train"), List.of("1.50", "2.00"), 6, 12);
        Path study = dir.resolve("numbered.yaml");
        Files.writeString(study, StudyFiles.replaceSection(
                StudyFiles.tiny("numbered", f.data, f.sourceModel, dir.resolve("results"), 1, 1), "data", """
                        data:
                          format: folder
                          train_dir: %s
                          image_size: 12
                        """.formatted(train)));
        TrialRecord trial = Cli.runAllComplete(study, dir.resolve("results"), "numbered", 1).get(0);

        Path best = dir.resolve("numbered-best.yaml");
        Cli export = Cli.run("export", "numbered", "--out", best.toString(), "--results",
                dir.resolve("results").toString());
        assertEquals(0, export.exit(), export.toString());
        Cli validate = Cli.run("validate", best.toString());
        assertEquals(0, validate.exit(), validate + "\n" + Files.readString(best));

        StudySpec original = new StudyFileReader().read(study);
        StudySpec exported = new StudyFileReader().read(best);
        // left out of the file, the classes are recorded as the run resolved them, and the export names them
        assertEquals(List.of("1.50", "2.00"), exported.data().classNames());
        assertEquals(new dev.thaw.train.StudyEnvironment().files(original).data(), exported.data());
        assertEquals(original.model(), exported.model());
        assertEquals(original.seed(), exported.seed());
        assertEquals(original.output(), exported.output());
        assertEquals("numbered-best", exported.name());
        Map<String, ParamSpec> fixed = new LinkedHashMap<>();
        original.space().keySet().forEach(k -> fixed.put(k, new ParamSpec.FixedParam(trial.assignment().values().get(k))));
        assertEquals(fixed, exported.space());
    }

    @Test
    void aStudyCrossValidatesOverFoldsAndShowsTheSpread() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("folds.yaml");
        Files.writeString(study, StudyFiles.tiny("folds", f.data, f.sourceModel, results, 2, 1)
                + "validation:\n  folds: 3\n");
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("over the folds"), run.out());
        List<TrialRecord> trials = new StudyDb(Database.fileUrl(results)).trials("folds");
        assertEquals(2, trials.size());
        trials.forEach(t -> assertTrue(t.scoreSpread().isPresent(), t.toString()));
        Cli json = Cli.run("trials", "folds", "--results", results.toString(), "--json");
        assertTrue(json.out().contains("\"score_spread\" : 0."), json.out());

        Files.writeString(study, Files.readString(study).replace("folds: 3", "folds: 40"));
        Cli invalid = Cli.run("validate", study.toString());
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().contains("validation.folds: must be a whole number from 2 to 20"), invalid.err());
    }
}
