package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.TrialState;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import dev.thaw.testing.TinyImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study fine-tunes each kind of source model end to end: Keras .h5 (sequential, functional) and a DL4J zoo model. */
class ModelSourcesTest {
    @TempDir
    Path dir;

    private Path keras(String name) throws Exception {
        Path file = dir.resolve(name + ".h5");
        try (var in = getClass().getResourceAsStream("/keras/" + name + ".h5")) {
            Files.copy(in, file);
        }
        return file;
    }

    /** The tiny study on IDX data, with its model section replaced by {@code model}. */
    private Path study(String name, String model, String data) throws Exception {
        Fixture f = Fixture.get();
        String text = StudyFiles.tiny(name, f.data, f.sourceModel, dir.resolve("results"), 2, 1);
        text = text.substring(0, text.indexOf("model:\n")) + model + text.substring(text.indexOf("data:\n"));
        if (data != null) {
            text = text.substring(0, text.indexOf("data:\n")) + data + text.substring(text.indexOf("objective:\n"));
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private void runs(String name, Path study) {
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        List<TrialRecord> trials = new StudyDb(Database.fileUrl(dir.resolve("results"))).trials(name);
        assertEquals(2, trials.size());
        trials.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));
    }

    @Test
    void kerasSequentialAndFunctionalModelsAreFineTuned() throws Exception {
        for (String kind : List.of("sequential", "functional")) {
            Path study = study("keras-" + kind, """
                    model:
                      source: keras
                      path: %s
                    """.formatted(keras(kind)), null);
            Cli validate = Cli.run("validate", study.toString());
            assertEquals(0, validate.exit(), validate.toString());
            assertTrue(validate.out().contains("backbone has 3 blocks"), validate.out());
            runs("keras-" + kind, study);
        }
    }

    @Test
    void aZooModelWithRandomWeightsIsFineTunedOnColourImages() throws Exception {
        Path cifar = TinyImages.writeCifar(dir.resolve("cifar"), List.of(0, 1), 1, 8);
        Path study = study("zoo", """
                model:
                  source: zoo
                  name: squeezenet
                  weights: none
                """, """
                data:
                  format: cifar10
                  dir: %s
                  classes: [airplane, automobile]
                  image_size: 32
                """.formatted(cifar));
        runs("zoo", study);
        Cli inspect = Cli.run("inspect-model", "squeezenet", "--image-size", "32");
        assertEquals(0, inspect.exit(), inspect.toString());
        assertTrue(inspect.out().contains("backbone: 9 blocks"), inspect.out());
    }
}
