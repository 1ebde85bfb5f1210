package dev.thaw.train.transfer;

import dev.thaw.train.source.BuiltinCnn;
import dev.thaw.train.source.Network;

import dev.thaw.study.Assignment;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferBuilderTest {
    private static final int SIZE = 12;
    private final TransferBuilder builder = new TransferBuilder(2);

    private static Assignment assignment(int depth) {
        return new Assignment(Map.of("learning_rate", 0.05, "batch_size", 8, "dropout", 0.2,
                "optimizer", "sgd", "unfreeze_depth", depth));
    }

    private static DataSet images(int n, int classes) {
        Nd4j.getRandom().setSeed(3);
        INDArray labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(Nd4j.rand(new int[]{n, 1, SIZE, SIZE}), labels);
    }

    /** Trains two epochs and returns, per source layer index, whether its parameters are bit-identical after. */
    private static boolean[] unchangedAfterFit(MultiLayerNetwork source, Network tuned) {
        DataSet data = images(32, 3);
        tuned.fit(new ListDataSetIterator<>(data.asList(), 8));
        tuned.fit(new ListDataSetIterator<>(data.asList(), 8));
        boolean[] unchanged = new boolean[source.getnLayers() - 1];
        for (int i = 0; i < unchanged.length; i++) {
            INDArray before = source.getLayer(i).params();
            unchanged[i] = before == null || bitIdentical(before, tuned.layers().getLayer(i).params());
        }
        return unchanged;
    }

    /** INDArray.equals allows a small tolerance; frozen means every bit stays. */
    private static boolean bitIdentical(INDArray a, INDArray b) {
        return java.util.Arrays.equals(a.ravel().toFloatVector(), b.ravel().toFloatVector());
    }

    @Test
    void depthZeroTrainsOnlyTheHead() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        Network tuned = builder.build(new Network(source.clone()), assignment(0), 16, 3, 9);
        // backbone: conv(0) pool(1) conv(2) pool(3) dense(4); head: hidden dense(5), softmax(6)
        assertEquals(7, tuned.layers().getnLayers());
        assertEquals(3, tuned.layers().getLayer(6).getParam("W").columns());
        assertEquals(16, tuned.layers().getLayer(5).getParam("W").columns());
        for (int i = 0; i <= 4; i++) {
            assertInstanceOf(FrozenLayer.class, tuned.layers().getLayerWiseConfigurations().getConf(i).getLayer());
        }
        INDArray headBefore = tuned.layers().getLayer(6).params().dup();
        boolean[] unchanged = unchangedAfterFit(source, tuned);
        assertTrue(unchanged[0] && unchanged[2] && unchanged[4], "the whole backbone stays frozen");
        assertNotEquals(headBefore, tuned.layers().getLayer(6).params(), "the new head trains");
    }

    @Test
    void depthKThawsTheTopKParameterisedLayers() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        boolean[] depth1 = unchangedAfterFit(source, builder.build(new Network(source.clone()), assignment(1), 0, 3, 9));
        assertTrue(depth1[0] && depth1[2], "conv layers frozen at depth 1");
        assertTrue(!depth1[4], "the dense layer thaws at depth 1");
        boolean[] depth2 = unchangedAfterFit(source, builder.build(new Network(source.clone()), assignment(2), 0, 3, 9));
        assertTrue(depth2[0] && !depth2[2] && !depth2[4], "only the first conv layer stays frozen at depth 2");
        boolean[] depth3 = unchangedAfterFit(source, builder.build(new Network(source.clone()), assignment(3), 0, 3, 9));
        assertTrue(!depth3[0] && !depth3[2] && !depth3[4], "everything trains at depth 3");
    }

    /**
     * backbone_lr_factor 0.1: the thawed backbone layers' updaters carry learning_rate × 0.1, the head's the full
     * rate; and DL4J uses them: one SGD step moves a thawed layer a tenth as far as with factor 1.
     */
    @Test
    void backboneLrFactorSlowsOnlyTheThawedBackbone() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        Network slow = builder.build(new Network(source.clone()), recipe(0.1), 0, 3, 9);
        Network full = builder.build(new Network(source.clone()), recipe(1.0), 0, 3, 9);
        Network src = new Network(source);
        for (int thawed : new int[]{2, 4}) {
            assertEquals(0.005, ((BaseLayer) TransferBuilder.layerConf(slow, src, thawed)).getIUpdater()
                    .getLearningRate(0, 0), 1e-12, "layer " + thawed);
        }
        assertEquals(0.05, ((BaseLayer) slow.layers().getLayer(5).conf().getLayer()).getIUpdater()
                .getLearningRate(0, 0), 1e-12, "the head keeps the full rate");
        DataSet batch = images(8, 3);
        slow.fit(new ListDataSetIterator<>(batch.asList(), 8));
        full.fit(new ListDataSetIterator<>(batch.asList(), 8));
        INDArray before = source.getLayer(4).params();
        double slowStep = slow.layers().getLayer(4).params().sub(before).norm2Number().doubleValue();
        double fullStep = full.layers().getLayer(4).params().sub(before).norm2Number().doubleValue();
        assertEquals(0.1, slowStep / fullStep, 1e-3);
    }

    /** A cosine schedule over 4 epochs: the updaters carry the rate of each epoch, the backbone's scaled too. */
    @Test
    void aLearningRateScheduleGivesEveryEpochItsRate() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        Assignment cosine = new Assignment(Map.of("learning_rate", 0.04, "batch_size", 8, "dropout", 0.0,
                "optimizer", "adam", "unfreeze_depth", 1, "backbone_lr_factor", 0.5, "lr_schedule", "cosine"));
        Network tuned = new TransferBuilder(4).build(new Network(source.clone()), cosine, 0, 3, 9);
        IUpdater head = ((BaseLayer) tuned.layers().getLayer(5).conf().getLayer()).getIUpdater();
        IUpdater backbone = ((BaseLayer) tuned.layers().getLayer(4).conf().getLayer()).getIUpdater();
        double[] expected = {0.04, 0.04 * (1 + Math.cos(Math.PI / 4)) / 2, 0.02, 0.04 * (1 + Math.cos(3 * Math.PI / 4)) / 2};
        for (int epoch = 0; epoch < 4; epoch++) {
            assertEquals(expected[epoch], head.getLearningRate(0, epoch), 1e-12, "head at epoch " + epoch);
            assertEquals(expected[epoch] / 2, backbone.getLearningRate(0, epoch), 1e-12, "backbone at epoch " + epoch);
        }
    }

    /** head_units and head_layers shape the new head; by default it is model.head.hidden units in one layer. */
    @Test
    void theHeadsShapeIsSearchable() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        Network two = builder.build(new Network(source.clone()), new Assignment(Map.of("unfreeze_depth", 0,
                "head_units", 12, "head_layers", 2)), 16, 3, 9);
        assertEquals(8, two.layers().getnLayers(), "5 backbone layers, 2 hidden, 1 output");
        assertEquals(12, two.layers().getLayer(5).getParam("W").columns());
        assertEquals(12, two.layers().getLayer(6).getParam("W").rows());
        assertEquals(3, two.layers().getLayer(7).getParam("W").columns());
        Network none = builder.build(new Network(source.clone()), new Assignment(Map.of("head_units", 0)), 16, 3, 9);
        assertEquals(6, none.layers().getnLayers(), "head_units 0: softmax only");
        Network byModel = builder.build(new Network(source.clone()), new Assignment(Map.of()), 16, 3, 9);
        assertEquals(16, byModel.layers().getLayer(5).getParam("W").columns(), "model.head.hidden by default");
        assertEquals(7, byModel.layers().getnLayers());
    }

    private static Assignment recipe(double factor) {
        return new Assignment(Map.of("learning_rate", 0.05, "batch_size", 8, "dropout", 0.0, "optimizer", "sgd",
                "unfreeze_depth", 2, "backbone_lr_factor", factor));
    }

    @Test
    void depthBeyondTheBackboneIsRefusedWithTheLimit() {
        MultiLayerNetwork source = BuiltinCnn.create(SIZE, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build(new Network(source), assignment(4), 0, 3, 9));
        assertEquals("unfreeze_depth 4 exceeds the source model's 3 backbone blocks; "
                + "lower space.unfreeze_depth to at most 3", e.getMessage());
    }

    @Test
    void graphsFreezeByVertexAndGetANewHead() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.RELU).build(), "a")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "b")
                .setOutputs("out").build();
        ComputationGraph source = new ComputationGraph(conf);
        source.init();
        Network tuned = builder.build(new Network(source.clone()), assignment(1), 0, 3, 9);
        assertEquals(List.of(TransferBuilder.HEAD_OUTPUT), tuned.graph().getConfiguration().getNetworkOutputs());
        assertEquals(3, tuned.graph().getLayer(TransferBuilder.HEAD_OUTPUT).getParam("W").columns());
        INDArray labels = Nd4j.zeros(24, 3);
        for (int i = 0; i < 24; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        DataSet data = new DataSet(Nd4j.rand(24, 6), labels);
        tuned.fit(new ListDataSetIterator<>(data.asList(), 8));
        assertTrue(bitIdentical(source.getLayer("a").params(), tuned.graph().getLayer("a").params()), "a is frozen");
        assertNotEquals(source.getLayer("b").params(), tuned.graph().getLayer("b").params(), "b thaws at depth 1");
        Network twoHidden = builder.build(new Network(source.clone()), new Assignment(Map.of("head_units", 4,
                "head_layers", 2)), 0, 3, 9);
        assertEquals(4, twoHidden.graph().getLayer(TransferBuilder.HEAD_HIDDEN + "_2").getParam("W").columns());
        twoHidden.fit(new ListDataSetIterator<>(data.asList(), 8));
    }
}
