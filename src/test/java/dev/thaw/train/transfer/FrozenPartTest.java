package dev.thaw.train.transfer;

import dev.thaw.train.source.Backbone;

import dev.thaw.study.Assignment;
import dev.thaw.testing.Fixture;
import dev.thaw.train.source.Network;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training the upper network on the frozen part's outputs computes what training the whole network computes: the
 * same scores step by step and the same trained weights, for a layer stack, a graph, and a graph whose boundary is
 * crossed by two tensors (a residual connection); and the parameters, updater state and counts carried back into the
 * whole network let it go on as if it had trained itself.
 *
 * <p>Tolerance 1e-4 (relative to the values' scale): the frozen part's outputs are computed in other batches than the
 * trial's, and a convolution's float sums may be ordered differently by batch size, which moves the last bits; through
 * ResNet50's 49 frozen float32 layers that reaches about 2e-5 of a large loss (measured), the small networks stay
 * within 1e-6.
 */
class FrozenPartTest {
    private static final double TOLERANCE = 1e-4;

    /**
     * Plain SGD for the deep network: Adam divides each step by the gradient's running size, so a weight whose gradient
     * is near zero moves by up to the learning rate on float noise alone; SGD's steps stay proportional to the gradient.
     */
    private static Assignment sgd(int depth) {
        return new Assignment(Map.of("learning_rate", 0.001, "batch_size", 4, "dropout", 0.0, "optimizer", "sgd",
                "unfreeze_depth", depth));
    }

    private static Assignment adam(int depth) {
        return new Assignment(Map.of("learning_rate", 0.01, "batch_size", 4, "dropout", 0.0, "optimizer", "adam",
                "unfreeze_depth", depth));
    }

    @Test
    void aLayerStackTrainsTheSameOnTheFrozenOutputs() throws IOException {
        Network source = Network.load(Fixture.get().sourceModel);
        Network full = new TransferBuilder(3).buildHeadOnly(source, adam(0), 8, 3, 7);
        agree(full, 1, 1, Fixture.IMAGE_SIZE);
        Network thawed = new TransferBuilder(3).build(Network.load(Fixture.get().sourceModel), adam(1), 8, 3, 7);
        agree(thawed, 1, 1, Fixture.IMAGE_SIZE);
    }

    @Test
    void aGraphTrainsTheSameOnTheFrozenOutputs() throws IOException {
        Network source = new Network(Network.load(Fixture.get().sourceModel).layers().toComputationGraph());
        agree(new TransferBuilder(3).buildHeadOnly(source, adam(0), 8, 3, 7), 1, 1, Fixture.IMAGE_SIZE);
        Network again = new Network(Network.load(Fixture.get().sourceModel).layers().toComputationGraph());
        agree(new TransferBuilder(3).build(again, adam(1), 8, 3, 7), 1, 1, Fixture.IMAGE_SIZE);
    }

    @Test
    void aResidualConnectionCrossingTheBoundaryIsCachedAsASecondTensor() {
        ComputationGraph net = residual();
        ComputationGraph frozen = new TransferLearning.GraphBuilder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).seed(3).build())
                .setFeatureExtractor("conv2a").build();
        FrozenPart part = FrozenPart.of(new Network(frozen)).orElseThrow();
        assertEquals(List.of("conv1", "conv2a"), part.boundary(), "the branch and the shortcut both cross");
        agree(new Network(frozen), 2, 3, 8);
    }

    /**
     * DL4J's zoo ResNet50 (random weights, its batch norms' statistics estimated so nothing overflows): head only, the
     * boundary is its average pooling; with the top block thawed, res5b's output, which feeds the block's branch and
     * its shortcut.
     */
    @Test
    void resNet50IsCutAtItsPoolingAndBelowItsTopBlock() throws IOException {
        Network source = dev.thaw.train.source.SourceModels.load(new dev.thaw.study.ModelSpec(
                dev.thaw.study.ModelSpec.ModelSource.ZOO, Optional.empty(),
                Optional.of(dev.thaw.study.ModelSpec.ZooArchitecture.RESNET50), dev.thaw.study.ModelSpec.ZooWeights.NONE,
                8), 69, 3);
        Nd4j.getRandom().setSeed(4);
        dev.thaw.train.source.BatchNormStatistics.estimate(source.graph(),
                Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 3, 69, 69), 16, 4);
        Network headOnly = new TransferBuilder(3).buildHeadOnly(source.copy(), sgd(0), 8, 3, 7);
        assertEquals(1, FrozenPart.of(headOnly).orElseThrow().tensors());
        agree(headOnly, 1, 3, 69, 1);
        Network thawed = new TransferBuilder(3).build(source.copy(), sgd(1), 8, 3, 7);
        FrozenPart part = FrozenPart.of(thawed).orElseThrow();
        assertTrue(part.boundary().get(0).startsWith("res5b") || part.boundary().get(0).contains("5b"),
                part.boundary()::toString);
        agree(thawed, 1, 3, 69, 1);
    }

    @Test
    void aBoundaryAfterMoreVerticesThanTheGraphHasLayersIsReached() {
        // ResNet50's last frozen vertex is number 174 of a graph with 159 layers: the frozen part's outputs must be
        // found by vertex, not by DL4J's layer index
        ComputationGraph frozen = new TransferLearning.GraphBuilder(manyVertices())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).seed(3).build())
                .setFeatureExtractor("conv2").build();
        assertEquals(List.of("pool"), FrozenPart.of(new Network(frozen)).orElseThrow().boundary());
        int layers = frozen.getLayers().length;
        assertTrue(frozen.getVertex("pool").getVertexIndex() >= layers, "the boundary's vertex index is past the "
                + layers + " layers");
        agree(new Network(frozen), 1, 3, 8);
    }

    /** A network built from a source has that source's frozen layers; another source's (other weights) has not. */
    @Test
    void theFrozenPartKnowsWhichSourceItIsFrom() throws IOException {
        Network source = Network.load(Fixture.get().sourceModel);
        Network other = source.reinitialized();
        for (int depth = 0; depth <= 1; depth++) {
            FrozenPart stack = FrozenPart.of(new TransferBuilder(3).build(source.copy(), adam(depth), 8, 3, 7))
                    .orElseThrow();
            assertTrue(stack.frozenFrom(source), "a layer stack, depth " + depth);
            assertFalse(stack.frozenFrom(other), "a layer stack against other weights, depth " + depth);
            Network graph = new Network(source.layers().toComputationGraph());
            FrozenPart cut = FrozenPart.of(new TransferBuilder(3).build(graph.copy(), adam(depth), 8, 3, 7))
                    .orElseThrow();
            assertTrue(cut.frozenFrom(graph), "a graph, depth " + depth);
            assertFalse(cut.frozenFrom(new Network(other.layers().toComputationGraph())), "a graph, other weights");
            assertFalse(cut.frozenFrom(source), "a graph is not a layer stack");
        }
    }

    /**
     * A frozen branch beside a trained one: in topological order the frozen f2 falls between the trained t1 and the
     * output, so Adam's state is two blocks in the whole network and one in the upper network (m and v laid out
     * otherwise), and carrying it across would scramble it. Such a network is not cut; with plain SGD (no state) it is.
     */
    @Test
    void aGraphWhoseUpdaterStateIsGroupedOtherwiseIsNotCut() {
        ComputationGraph adam = new TransferLearning.GraphBuilder(frozenBranch())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).seed(3).build())
                .setFeatureExtractor("f2").build();
        assertTrue(FrozenPart.of(new Network(adam)).isEmpty(), "Adam's state cannot be carried across");
        ComputationGraph sgd = new TransferLearning.GraphBuilder(frozenBranch())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(new org.nd4j.linalg.learning.config.Sgd(0.01)).seed(3).build())
                .setFeatureExtractor("f2").build();
        assertEquals(List.of("f1", "f2"), FrozenPart.of(new Network(sgd)).orElseThrow().boundary());
        agree(new Network(sgd), 2, 3, 8);
    }

    @Test
    void nothingFrozenIsNotCut() throws IOException {
        Network source = Network.load(Fixture.get().sourceModel);
        Network scratch = source.reinitialized();
        int all = dev.thaw.train.source.Backbone.of(scratch).blocks().size();
        assertTrue(FrozenPart.of(new TransferBuilder(3).build(scratch, adam(all), 8, 3, 7)).isEmpty());
    }

    /** Trains {@code full} and its upper network {@code epochs} epochs (two unless said) on the same batches, then compares. */
    private static void agree(Network full, int tensors, int channels, int side) {
        agree(full, tensors, channels, side, 2);
    }

    private static void agree(Network full, int tensors, int channels, int side, int epochs) {
        FrozenPart part = FrozenPart.of(full).orElseThrow();
        assertEquals(tensors, part.tensors());
        Nd4j.getRandom().setSeed(11);
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 12, channels, side, side);
        INDArray labels = Nd4j.zeros(12, 3);
        for (int i = 0; i < 12; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        INDArray[] outputs = part.outputs(images);
        Network upper = part.upper();
        Network alone = full.copy();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < 12; from += 4) {
                INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 4));
                INDArray y = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 4));
                fit(alone, new INDArray[]{x}, y);
                INDArray[] cached = new INDArray[outputs.length];
                for (int t = 0; t < cached.length; t++) {
                    cached[t] = outputs[t].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 4));
                }
                fit(upper, cached, y);
                close(score(alone), score(upper), "the score of each step");
            }
        }
        Network carried = full.copy();
        part.write(upper, carried);
        close(alone.params(), carried.params(), "every weight once the upper network's are carried back");
        assertEquals(alone.iterationCount(), carried.iterationCount());
        close(alone.output(images), carried.output(images), "the outputs");
    }

    private static void fit(Network net, INDArray[] features, INDArray labels) {
        if (net.isGraph()) {
            net.graph().fit(new MultiDataSet(features, new INDArray[]{labels}));
        } else {
            net.layers().fit(new DataSet(features[0], labels));
        }
    }

    private static double score(Network net) {
        return net.isGraph() ? net.graph().score() : net.layers().score();
    }

    private static void close(double a, double b, String what) {
        assertEquals(a, b, TOLERANCE * Math.max(1, Math.abs(a)), what);
    }

    private static void close(INDArray a, INDArray b, String what) {
        float[] x = a.dup().ravel().toFloatVector();
        float[] y = b.dup().ravel().toFloatVector();
        assertEquals(x.length, y.length, what);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], TOLERANCE * Math.max(1, Math.abs(x[i])), what + " [" + i + "]");
        }
    }

    /** f1 → t1 and f1 → f2, merged → average pooling → softmax over 3 classes (f1, f2 to be frozen, t1 trained). */
    private static ComputationGraph frozenBranch() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01))
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("f1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("t1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "f1")
                .addLayer("f2", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "f1")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "t1", "f2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** conv1, then three additions of a tensor to itself, → conv2 → average pooling → softmax over 3 classes. */
    private static ComputationGraph manyVertices() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01))
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "in")
                .addVertex("add1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv1", "conv1")
                .addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "add1", "add1")
                .addVertex("add3", new ElementWiseVertex(ElementWiseVertex.Op.Add), "add2", "add2")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "add3")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** conv1 → conv2a → conv2b, plus conv1, → add → relu → average pooling → dense → softmax over 3 classes. */
    private static ComputationGraph residual() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01))
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("conv2a", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "conv1")
                .addLayer("conv2b", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.IDENTITY).build(), "conv2a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv2b", "conv1")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
