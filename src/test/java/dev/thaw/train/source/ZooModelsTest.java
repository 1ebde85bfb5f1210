package dev.thaw.train.source;

import dev.thaw.study.Assignment;
import dev.thaw.train.transfer.TransferBuilder;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.ModelSpec.ZooArchitecture;
import dev.thaw.study.ModelSpec.ZooWeights;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J zoo architectures, randomly initialised at small sizes: their blocks, their heads, their freezing. */
class ZooModelsTest {
    @TempDir
    Path dir;

    private static ModelSpec zoo(ZooArchitecture architecture, ZooWeights weights) {
        return ModelSpec.zoo(architecture, weights, 0);
    }

    private static List<String> names(ModelInspection m) {
        return m.blocks().stream().map(ModelInspection.Block::name).toList();
    }

    @Test
    void vgg16CountsItsConvStagesAndDenseLayers() throws IOException {
        ModelInspection vgg = ModelInspection.of(zoo(ZooArchitecture.VGG16, ZooWeights.NONE), 32, 1);
        assertEquals(List.of("stage1", "stage2", "stage3", "stage4", "stage5", "dense18", "dense19"), names(vgg));
        assertEquals(List.of("20"), vgg.classifier(), "the 1000-way output layer is what the head replaces");
        assertEquals(List.of("14", "15", "16"), vgg.blocks().get(4).layers());
        assertEquals(3, vgg.blocks().get(4).thawedFromDepth(), "stage5 thaws from unfreeze_depth 3");
        assertEquals(7, vgg.blocks().get(0).thawedFromDepth());
        assertEquals(3, vgg.channels());
    }

    @Test
    void resnet50CountsResidualBlocksWithTheirBatchNorms() throws IOException {
        // at its smallest side (the test of every architecture's smallest side leaves this one to this test)
        ModelInspection resnet = ModelInspection.of(zoo(ZooArchitecture.RESNET50, ZooWeights.NONE), 69, 1);
        List<String> names = names(resnet);
        assertEquals(17, names.size(), names.toString());
        assertEquals(List.of("stem", "res2a", "res2b", "res2c", "res3a"), names.subList(0, 5));
        assertEquals("res5c", names.get(16));
        assertEquals(List.of("stem-cnn1", "stem-batch1"), resnet.blocks().get(0).layers());
        assertTrue(resnet.blocks().get(1).layers().containsAll(List.of("res2a_branch1", "bn2a_branch1",
                "res2a_branch2c", "bn2a_branch2c")), resnet.blocks().get(1).layers().toString());
        assertEquals(List.of("output"), resnet.classifier());
        long total = resnet.blocks().stream().mapToLong(ModelInspection.Block::params).sum() + resnet.classifierParams();
        assertEquals(resnet.params(), total, "every parameter is in a block or in the classifier");
        runsAtItsSmallestSide(ZooArchitecture.RESNET50);
    }

    /** The architecture at its smallest side: built, given Thaw's head, and a blank image gives two class scores. */
    private static void runsAtItsSmallestSide(ZooArchitecture architecture) throws IOException {
        int side = SourceModels.smallestSide(architecture);
        Network source = SourceModels.load(zoo(architecture, ZooWeights.NONE), side, 1);
        Network tuned = new TransferBuilder(1).build(source, new Assignment(Map.of("learning_rate", 0.01,
                "batch_size", 2, "dropout", 0.0, "optimizer", "sgd", "unfreeze_depth", 1)), 0, 2, 7);
        assertArrayEquals(new long[]{2, 2}, tuned.output(Nd4j.zeros(2, 3, side, side)).shape(), architecture.key());
    }

    @Test
    void everyArchitectureWithRandomWeightsTakesItsSmallestSideAndRefusesTheOneBelow() throws IOException {
        for (ZooArchitecture architecture : ZooArchitecture.values()) {
            int side = SourceModels.smallestSide(architecture);
            if (side > InputSides.SMALLEST) {
                IOException below = assertThrows(IOException.class,
                        () -> SourceModels.load(zoo(architecture, ZooWeights.NONE), side - 1, 1));
                assertEquals("data.image_size: zoo model " + architecture.key() + " (random weights) takes images of "
                        + "at least " + side + "x" + side + ", got " + (side - 1) + "; set image_size: " + side
                        + " or more (its ImageNet weights take " + architecture.imageSize() + ")", below.getMessage());
            }
            if (architecture != ZooArchitecture.RESNET50) {
                runsAtItsSmallestSide(architecture);
            }
        }
        // what DL4J 1.0.0-M2.1 builds and runs, found by trying every side from 4 up (ResNet50's pooling and output
        // get nothing below 69; SqueezeNet's pool5 below 23; Xception's first convolutions below 7)
        assertEquals(List.of(4, 4, 69, 23, 7, 4), java.util.Arrays.stream(ZooArchitecture.values())
                .map(SourceModels::smallestSide).toList());
    }

    @Test
    void aConvolutionalClassifierIsReplacedAndTheThawFollowsTheBlocks() throws IOException {
        // SqueezeNet ends in a 1x1 convolution, global pooling and a loss layer: the head goes where conv10 was
        Network source = SourceModels.load(zoo(ZooArchitecture.SQUEEZENET, ZooWeights.NONE), 32, 5);
        List<Backbone.Block> blocks = Backbone.of(source).blocks();
        assertEquals("fire9", blocks.get(blocks.size() - 1).name());
        Network tuned = new TransferBuilder(1).build(source, new Assignment(Map.of("learning_rate", 0.05,
                "batch_size", 4, "dropout", 0.0, "optimizer", "sgd", "unfreeze_depth", 1)), 0, 3, 7);
        ComputationGraph before = source.graph();
        ComputationGraph graph = tuned.graph();
        assertEquals(List.of(TransferBuilder.HEAD_OUTPUT), graph.getConfiguration().getNetworkOutputs());
        Nd4j.getRandom().setSeed(2);
        INDArray labels = Nd4j.zeros(8, 3);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        DataSet data = new DataSet(Nd4j.rand(new int[]{8, 3, 32, 32}), labels);
        assertArrayEquals(new long[]{8, 3}, tuned.output(data.getFeatures()).shape());
        tuned.fit(new ListDataSetIterator<>(data.asList(), 4));
        assertEquals(before.getLayer("fire8_exp3x3").params(), graph.getLayer("fire8_exp3x3").params(),
                "fire8 is below the boundary: frozen");
        assertFalse(before.getLayer("fire9_exp3x3").params().equals(graph.getLayer("fire9_exp3x3").params()),
                "fire9, the top block, thawed at depth 1");
    }

    @Test
    void imagenetWeightsThatCannotBeFetchedNameTheFileAndWhereToPutIt() {
        String base = DL4JResources.getBaseDownloadURL();
        DL4JResources.setBaseDirectory(dir.toFile());
        DL4JResources.setBaseDownloadURL("http://127.0.0.1:9/"); // nothing listens there: fails at once, offline or not
        try {
            IOException e = assertThrows(IOException.class,
                    () -> SourceModels.load(zoo(ZooArchitecture.VGG16, ZooWeights.IMAGENET), 224, 1));
            String expected = dir.resolve("models").resolve("vgg16").resolve("vgg16_dl4j_inference.zip").toString();
            assertTrue(e.getMessage().startsWith("model: vgg16's ImageNet weights are not in DL4J's cache"), e.getMessage());
            assertTrue(e.getMessage().contains("download http://127.0.0.1:9/models/vgg16_dl4j_inference.zip "
                    + "on a machine with internet access and place it at " + expected), e.getMessage());

            IOException size = assertThrows(IOException.class,
                    () -> SourceModels.load(zoo(ZooArchitecture.VGG16, ZooWeights.IMAGENET), 32, 1));
            assertEquals("data.image_size: vgg16's ImageNet weights take 224x224 images, got 32; set image_size: 224",
                    size.getMessage());
        } finally {
            DL4JResources.setBaseDownloadURL(base);
            DL4JResources.resetBaseDirectoryLocation();
        }
    }
}
