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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study fine-tunes each kind of source model end to end: Keras .h5 (sequential, functional), a DL4J zoo model and
 * a DL4J ComputationGraph zip (MultiLayerNetwork zips are the built-in source every other test uses).
 */
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
        String text = StudyFiles.replaceSection(StudyFiles.tiny(name, f.data, f.sourceModel, dir.resolve("results"), 2, 1),
                "model", model);
        if (data != null) {
            text = StudyFiles.replaceSection(text, "data", data);
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private void runs(String name, Path study) {
        Cli.runAllComplete(study, dir.resolve("results"), name, 2);
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

        // the same architecture as a DL4J ComputationGraph zip: source dl4j
        Path zip = dir.resolve("graph.zip");
        org.deeplearning4j.nn.graph.ComputationGraph graph = org.deeplearning4j.zoo.model.SqueezeNet.builder()
                .numClasses(10).inputShape(new int[]{3, 32, 32}).seed(3).build().init();
        org.deeplearning4j.util.ModelSerializer.writeModel(graph, zip.toFile(), false);
        Path fromZip = study("graph-zip", """
                model:
                  source: dl4j
                  path: %s
                """.formatted(zip), """
                data:
                  format: cifar10
                  dir: %s
                  image_size: 32
                  classes: [airplane, automobile]
                """.formatted(cifar));
        runs("graph-zip", fromZip);
    }
}
