package dev.thaw.cli;

import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import dev.thaw.testing.TinyImages;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source model that cannot take the study's images is refused in the study file's terms, before anything runs:
 * what it takes and what to change, for every kind of source.
 */
class ModelInputTest {
    @TempDir
    Path dir;

    /** The tiny study (IDX images) with its model section replaced by {@code model} and image_size set. */
    private Path study(String model, int imageSize) throws Exception {
        Fixture f = Fixture.get();
        String text = StudyFiles.replaceSection(StudyFiles.tiny("input", f.data, f.sourceModel, dir.resolve("results"),
                1, 1), "model", model).replace("image_size: 12", "image_size: " + imageSize);
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static String file(Path model) {
        return """
                model:
                  source: dl4j
                  path: %s
                """.formatted(model);
    }

    /** {@code validate} and {@code run} both say exactly {@code message} (exit 2), and nothing is recorded. */
    private void refused(Path study, String message) {
        for (String command : List.of("validate", "run")) {
            Cli cli = Cli.run(command, study.toString());
            assertEquals(2, cli.exit(), command + ": " + cli);
            assertTrue(cli.err().matches("(?s).* \\(line \\d+\\)\n"), "the error names its line: " + cli.err());
            assertEquals("error: " + message + "\n", cli.err().replaceFirst(" \\(line \\d+\\)\n$", "\n"), command);
        }
        assertFalse(Files.exists(dir.resolve("results").resolve("thaw.mv.db")), "nothing is recorded");
    }

    @Test
    void aDenseInputModelIsSaidToTakeVectorsAtEverySize() throws Exception {
        // an MLP for flattened 28x28 images: dense 784 -> 16, softmax over 10
        MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(16).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        mlp.init();
        Path zip = dir.resolve("mlp.zip");
        ModelSerializer.writeModel(mlp, zip.toFile(), false);
        String message = "model.path: " + zip + " takes vectors of 784 values, not images (its layer 0 is dense, with "
                + "nothing before it that takes an image); Thaw fine-tunes models that take images: use one that "
                + "starts with a 2D convolution (as thaw pretrain's and every zoo model do)";
        for (int size : List.of(28, 12)) {
            refused(study(file(zip), size), message);
        }
    }

    @Test
    void aZooModelAtTooSmallASideSaysTheSmallestItTakes() throws Exception {
        Path cifar = TinyImages.writeCifar(dir.resolve("cifar"), List.of(0, 1), 1, 4);
        Path study = study("""
                model:
                  source: zoo
                  name: resnet50
                  weights: none
                """, 64);
        Files.writeString(study, StudyFiles.replaceSection(Files.readString(study), "data", """
                data:
                  format: cifar10
                  dir: %s
                  classes: [airplane, automobile]
                  image_size: 64
                """.formatted(cifar)));
        refused(study, "data.image_size: zoo model resnet50 (random weights) takes images of at least 69x69, got 64; "
                + "set image_size: 69 or more (its ImageNet weights take 224)");
    }

    @Test
    void aModelWithAFixedSizeDenseLayerSaysWhichSidesFit() throws Exception {
        // the built-in CNN pretrained at 12x12: conv 5, pool 2, conv 3, pool 2 leave 1x1x32 for its dense layer
        // from 10 to 15 pixels (pooling truncates), 2x2x32 at 16
        Fixture f = Fixture.get();
        refused(study("""
                model:
                  source: builtin
                  path: %s
                """.formatted(f.sourceModel), 16), "data.image_size: " + f.sourceModel + " takes 1-channel images "
                + "from 10x10 to 15x15 (at 16x16: layer 4 takes 32 values, these images give it 128); set "
                + "image_size between 10 and 15");

        // the Keras fixtures (sequential: a MultiLayerNetwork, functional: a ComputationGraph): 'same' convolutions and
        // a 2x2 pooling, twice, leave 3x3x8 for their dense layer from 12 to 15
        for (String kind : List.of("sequential:dense_1", "functional:fc1")) {
            String name = kind.substring(0, kind.indexOf(':'));
            Path keras = dir.resolve(name + ".h5");
            try (var in = getClass().getResourceAsStream("/keras/" + name + ".h5")) {
                Files.copy(in, keras);
            }
            refused(study("""
                    model:
                      source: keras
                      path: %s
                    """.formatted(keras), 16), "data.image_size: " + keras + " takes 1-channel images from 12x12 to "
                    + "15x15 (at 16x16: layer " + kind.substring(kind.indexOf(':') + 1) + " takes 72 values, these "
                    + "images give it 128); set image_size between 12 and 15");
        }
    }

    @Test
    void aComputationGraphWithGlobalPoolingSaysTheSmallestSide() throws Exception {
        Path zip = dir.resolve("graph.zip");
        ComputationGraph graph = SqueezeNet.builder().numClasses(10).inputShape(new int[]{3, 32, 32}).seed(3).build()
                .init();
        ModelSerializer.writeModel(graph, zip.toFile(), false);
        Cli validate = Cli.run("validate", study(file(zip), 16).toString());
        assertEquals(2, validate.exit(), validate.toString());
        assertTrue(validate.err().startsWith("error: data.image_size: " + zip + " takes 3-channel images of at least "
                + "23x23 (at 16x16: "), validate.err());
        assertTrue(validate.err().matches("(?s).*; set image_size: 23 or more \\(line \\d+\\)\n"), validate.err());
        Cli fits = Cli.run("validate", study(file(zip), 23).toString());
        assertEquals(0, fits.exit(), fits.toString());
    }
}
