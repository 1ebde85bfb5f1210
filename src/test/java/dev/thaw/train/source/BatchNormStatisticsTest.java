package dev.thaw.train.source;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch-norm statistics estimated on small networks built here, checked against statistics computed independently
 * (plain loops in double over the batch norm's input). The stored parameters are float32: their rounding, and the
 * float32 arithmetic of the layers themselves, stay below 1e-5 relative, which the tolerances allow for.
 */
class BatchNormStatisticsTest {
    private static final double EPS = 1e-5; // DL4J's default, which the layers here keep

    /** conv 3x3 (identity) → BN → ReLU → dense (identity) → BN → softmax; 8x8 images of 3 channels, NCHW. */
    private static MultiLayerNetwork layers(boolean logStd) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray images(int n, long seed, long... shape) {
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, full);
    }

    /** The running variance a batch norm holds, whichever way it keeps it. */
    private static double[] variance(Layer bn) {
        if (bn.paramTable().containsKey("log10stdev")) {
            double[] log10Std = bn.getParam("log10stdev").toDoubleVector();
            double[] var = new double[log10Std.length];
            for (int c = 0; c < var.length; c++) {
                var[c] = Math.pow(10, 2 * log10Std[c]);
            }
            return var;
        }
        return bn.getParam("var").toDoubleVector();
    }

    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int c = 0; c < expected.length; c++) {
            double tolerance = relative * Math.max(1.0, Math.abs(expected[c]));
            assertEquals(expected[c], actual[c], tolerance, what + " of channel " + c);
        }
    }

    /** Per-channel [mean, biased variance] of [n, c, h, w] (channel axis 1) or [n, c], by plain loops in double. */
    private static double[][] channelStatistics(INDArray x, int channelAxis) {
        INDArray d = x.castTo(DataType.DOUBLE);
        if (channelAxis == 3) {
            d = d.permute(0, 3, 1, 2).dup();
        }
        long channels = d.size(1);
        double[] mean = new double[(int) channels];
        double[] var = new double[(int) channels];
        long per = d.length() / channels;
        for (int c = 0; c < channels; c++) {
            double[] v = (d.rank() == 2 ? d.getColumn(c) : d.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c))).dup().data().asDouble();
            assertEquals(per, v.length);
            double sum = 0;
            for (double e : v) {
                sum += e;
            }
            mean[c] = sum / v.length;
            double squares = 0;
            for (double e : v) {
                squares += (e - mean[c]) * (e - mean[c]);
            }
            var[c] = squares / v.length;
        }
        return new double[][]{mean, var};
    }

    @Test
    void theFirstBatchNormGetsItsInputsMeanAndBiasedVarianceAveragedOverBatchesBySize() {
        MultiLayerNetwork net = layers(true);
        INDArray x = images(10, 1, 3, 8, 8);
        BatchNormStatistics.Estimate estimate = BatchNormStatistics.estimate(net, x, 4, 7);
        assertEquals(new BatchNormStatistics.Estimate(2, 10, 3), estimate);

        // 10 images in at most 4 per batch: 3 batches of 3, 3 and 4 images; the convolution below it does not
        // depend on any batch norm, so its output is the first batch norm's input whatever the mode
        int[][] batches = {{0, 3}, {3, 6}, {6, 10}};
        double[] mean = new double[4];
        double[] var = new double[4];
        for (int[] b : batches) {
            INDArray conv = net.feedForwardToLayer(0, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b[0], b[1]))
                    .dup(), false).get(1);
            double[][] s = channelStatistics(conv, 1);
            for (int c = 0; c < 4; c++) {
                mean[c] += (b[1] - b[0]) * s[0][c] / 10;
                var[c] += (b[1] - b[0]) * s[1][c] / 10;
            }
        }
        assertClose(mean, net.getLayer(1).getParam("mean").toDoubleVector(), 1e-5, "running mean");
        assertClose(var, variance(net.getLayer(1)), 1e-5, "running variance");
    }

    /**
     * With all images in one batch, each batch norm's running statistics are its training-mode batch statistics, so in
     * inference mode every one of them, dense or convolutional, normalises those images: per channel, mean beta and
     * variance gamma² · var / (var + eps) — here var ≥ 0.01, so within 1e-3 of gamma².
     */
    @Test
    void inInferenceModeEachBatchNormThenNormalisesTheImagesOfItsEstimate() {
        for (boolean logStd : new boolean[]{true, false}) {
            MultiLayerNetwork net = layers(logStd);
            for (int bn : new int[]{1, 4}) { // gamma and beta of their own, which the estimate leaves alone
                net.getLayer(bn).getParam("gamma").assign(Nd4j.linspace(0.5, 2.0, net.getLayer(bn).getParam("gamma")
                        .length(), DataType.FLOAT).reshape(net.getLayer(bn).getParam("gamma").shape()));
                net.getLayer(bn).getParam("beta").assign(0.25);
            }
            INDArray gammaBefore = net.getLayer(4).getParam("gamma").dup();
            INDArray x = images(12, 2, 3, 8, 8);
            BatchNormStatistics.estimate(net, x, 32, 7);
            assertEquals(gammaBefore, net.getLayer(4).getParam("gamma"));
            for (int bn : new int[]{1, 4}) {
                List<INDArray> acts = net.feedForwardToLayer(bn, x, false); // the batch norm's output is the last
                double[][] s = channelStatistics(acts.get(bn + 1), 1);
                double[] gamma = net.getLayer(bn).getParam("gamma").toDoubleVector();
                double[] var = variance(net.getLayer(bn));
                for (int c = 0; c < gamma.length; c++) {
                    assertTrue(var[c] > 0.01, "the test's images vary: " + var[c]);
                    String where = (logStd ? "log std" : "variance") + ", layer " + bn + ", channel " + c;
                    assertEquals(0.25, s[0][c], 1e-4, "mean of " + where);
                    assertEquals(gamma[c] * gamma[c], s[1][c], 1e-3 * gamma[c] * gamma[c], "variance of " + where);
                }
            }
        }
    }

    @Test
    void aBatchNormOnChannelsLastActivationsTakesItsChannelsFromTheLastAxis() {
        // the same network channels first and channels last: the same statistics from the same (permuted) images
        MultiLayerNetwork first = channels(CNN2DFormat.NCHW);
        MultiLayerNetwork last = channels(CNN2DFormat.NHWC);
        last.setParams(first.params());
        INDArray x = images(6, 3, 3, 8, 8);
        BatchNormStatistics.estimate(first, x, 4, 7);
        BatchNormStatistics.estimate(last, x.permute(0, 2, 3, 1).dup(), 4, 7);
        assertClose(first.getLayer(1).getParam("mean").toDoubleVector(),
                last.getLayer(1).getParam("mean").toDoubleVector(), 1e-5, "running mean");
        assertClose(variance(first.getLayer(1)), variance(last.getLayer(1)), 1e-5, "running variance");

        INDArray conv = last.feedForwardToLayer(0, x.permute(0, 2, 3, 1).dup(), false).get(1);
        assertEquals(5, conv.size(3), "5 channels on a 6x6 map: axes cannot be confused");
    }

    /** conv 3x3 (5 channels) → BN → global average → softmax, in {@code format}. */
    private static MultiLayerNetwork channels(CNN2DFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).dataFormat(format).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().dataFormat(format).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 3, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aBatchNormGetsItsInputAsItsPreprocessorShapesIt() {
        // conv → (flattened by a preprocessor) → a batch norm over 4 x 6 x 6 = 144 dense features
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .inputPreProcessor(1, new CnnToFeedForwardPreProcessor(6, 6, 4))
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = images(7, 8, 3, 8, 8);
        BatchNormStatistics.estimate(net, x, 7, 7);
        INDArray conv = net.feedForwardToLayer(0, x, false).get(1);
        double[][] s = channelStatistics(conv.reshape('c', 7, 144), 1);
        assertClose(s[0], net.getLayer(1).getParam("mean").toDoubleVector(), 1e-5, "running mean");
        assertClose(s[1], variance(net.getLayer(1)), 1e-5, "running variance");
    }

    @Test
    void aNetworkWithoutBatchNormIsLeftAsItWas() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray before = net.params().dup();
        assertEquals(new BatchNormStatistics.Estimate(0, 6, 0), BatchNormStatistics.estimate(net, images(6, 4, 3, 8, 8),
                4, 7));
        assertEquals(before, net.params());
    }

    /**
     * A graph whose first batch norm takes the images themselves and whose second follows a dense layer with dropout,
     * which draws from ND4J's generator in training mode.
     */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(6).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in")
                .addLayer("bn0", new BatchNormalization.Builder().build(), "in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "bn0")
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.RELU).dropOut(0.5).build(),
                        "conv")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "bn1")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 3)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void theSameImagesAndSeedGiveTheSameStatisticsWhateverTheNetworkHeldBefore() {
        INDArray x = images(9, 5, 3, 8, 8);
        ComputationGraph once = graph();
        ComputationGraph twice = graph();
        twice.getLayer("bn1").getParam("mean").assign(3.0); // running statistics a training would have left
        assertEquals(new BatchNormStatistics.Estimate(2, 9, 3), BatchNormStatistics.estimate(once, x, 3, 7));
        BatchNormStatistics.estimate(twice, x, 3, 7);
        BatchNormStatistics.estimate(twice, x, 3, 7);
        assertEquals(once.params(), twice.params(), "exactly equal");

        double[][] s = channelStatistics(x, 1);
        assertClose(s[0], once.getLayer("bn0").getParam("mean").toDoubleVector(), 1e-5,
                "bn0's mean, of the images (the average of three batches' means, each of 3 images)");

        ComputationGraph otherSeed = graph();
        BatchNormStatistics.estimate(otherSeed, x, 3, 8);
        assertEquals(once.getLayer("bn0").params(), otherSeed.getLayer("bn0").params(), "below the dropout");
        assertNotEquals(once.getLayer("bn1").params(), otherSeed.getLayer("bn1").params(),
                "above the dropout, whose masks the seed draws");
    }

    @Test
    void aFrozenBatchNormIsRefusedForItRunsInInferenceMode() {
        MultiLayerNetwork frozen = new TransferLearning.Builder(layers(true)).setFeatureExtractor(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormStatistics.estimate(frozen, images(4, 6, 3, 8, 8), 4, 7));
        assertEquals("the batch norm layer1 is wrapped in a FrozenLayer, which may run it in inference mode; "
                + "estimate its statistics on the network before it is frozen", e.getMessage());
    }
}
