package dev.thaw.train.source;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Re-estimates the running mean and variance of every batch normalisation of a network on target images, so that in
 * inference mode each one normalises what it gets from those images: the adaptive batch normalisation of Li et al.
 * 2016, "Revisiting Batch Normalization For Practical Domain Adaptation" (AdaBN), computed as PyTorch's
 * {@code torch.optim.swa_utils.update_bn} does with {@code momentum=None}.
 *
 * <p>Why: a frozen batch norm (DL4J's FrozenLayer runs it in inference mode) normalises by its running statistics.
 * A randomly initialised network's are 0 and 1, so it passes its input on unscaled. DL4J's zoo ResNet50 draws its
 * convolution weights from a truncated normal distribution of standard deviation 0.44 (He initialisation would give
 * sqrt(2 / fan-in), 0.02 to 0.18 for its layers), which multiplies the activations' scale by 30 to 1400 per residual
 * block: float32 overflows in the last one.
 *
 * <p>How: the images are cut into consecutive batches of at most {@code batchSize}, of near-equal sizes (they differ by
 * one at most, so no batch is nearly empty). Each batch goes forward once in training mode, where every batch norm
 * normalises by its own batch's statistics, so the ones above it see normalised inputs. From each batch norm's input
 * come its batch's per-channel mean and biased variance (the variance DL4J's own running update and its training-mode
 * normalisation use); the estimate is their average over the batches, weighted by the batch's image count. It is
 * written to the layer's running parameters: {@code mean} and {@code var}, or {@code log10stdev} = log10(sqrt(var))
 * when the layer keeps its variance as a log standard deviation ({@code useLogStd}; a variance of 0, from a channel
 * constant over the images, is kept as the smallest normal float's so that the parameter stays finite). In inference
 * mode the layer then gives gamma · (x − mean) / sqrt(var + eps) + beta. Nothing else changes: gamma, beta, other
 * layers' parameters and the updater's state are left as they were. The layer's data format says which axis is the
 * channel: 1 of [n, c, h, w] (NCHW), 3 of [n, h, w, c] (NHWC), 1 of [n, features] for a batch norm on dense activations.
 *
 * <p>Deterministic: ND4J's random generator is seeded with {@code seed} first (dropout and noise layers draw from it in
 * training mode: as with update_bn, their training-mode variance counts). The same images in the same order and the
 * same seed give the same statistics, whatever the running statistics were (training mode does not read them), so a
 * second estimate on the same images changes nothing. Cost: one forward pass over the images; each batch's
 * activations of every layer are held at once. Not thread-safe: nothing else may use the network meanwhile.
 */
public final class BatchNormStatistics {
    /** The floor of a variance kept as a log standard deviation: float32's smallest normal number. */
    private static final double SMALLEST_VARIANCE = Float.MIN_NORMAL;

    /**
     * What an estimate did.
     *
     * @param batchNorms the batch norms whose running statistics were set (0: the network has none and is unchanged)
     * @param images     the images they were estimated on
     * @param batches    the forward passes that took (0 when there is no batch norm)
     */
    public record Estimate(int batchNorms, int images, int batches) {
    }

    private BatchNormStatistics() {
    }

    /**
     * Sets the running statistics of every batch norm of {@code net} from {@code images}, [n, ...] as the network's
     * first layer takes them (n ≥ 1).
     *
     * @throws IllegalArgumentException no images, {@code batchSize} below 1, a frozen (or otherwise wrapped) batch norm,
     *                                  or a batch norm whose input is neither rank 2 nor rank 4
     */
    public static Estimate estimate(MultiLayerNetwork net, INDArray images, int batchSize, long seed) {
        checkArguments(images, batchSize);
        List<Target> targets = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            String layerName = layers[i].conf().getLayer().getLayerName();
            String name = layerName == null ? "layer " + i : layerName;
            BatchNormalization bn = batchNorm(layers[i], name);
            if (bn != null) {
                int index = i;
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                targets.add(new Target(name, bn, pre, acts -> acts.list().get(index)));
            }
        }
        return run(targets, images, batchSize, seed, batch -> new Activations(net.feedForward(batch, true), null, batch),
                net::clearLayersStates);
    }

    /**
     * As {@link #estimate(MultiLayerNetwork, INDArray, int, long)}, for a graph of one input.
     *
     * @throws IllegalArgumentException also when the graph has more than one input
     */
    public static Estimate estimate(ComputationGraph graph, INDArray images, int batchSize, long seed) {
        checkArguments(images, batchSize);
        List<String> inputs = graph.getConfiguration().getNetworkInputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("batch-norm statistics are estimated for a graph of one input, this one "
                    + "has " + inputs.size() + ": " + inputs);
        }
        Map<String, GraphVertex> confs = graph.getConfiguration().getVertices();
        Map<String, List<String>> vertexInputs = graph.getConfiguration().getVertexInputs();
        List<Target> targets = new ArrayList<>();
        for (int i : graph.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex vertex = graph.getVertices()[i];
            if (!vertex.hasLayer()) {
                continue;
            }
            String name = vertex.getVertexName();
            BatchNormalization bn = batchNorm(vertex.getLayer(), name);
            if (bn != null) {
                String from = vertexInputs.get(name).get(0);
                InputPreProcessor pre = confs.get(name) instanceof LayerVertex lv ? lv.getPreProcessor() : null;
                targets.add(new Target(name, bn, pre,
                        acts -> from.equals(inputs.get(0)) ? acts.images() : acts.map().get(from)));
            }
        }
        return run(targets, images, batchSize, seed,
                batch -> new Activations(null, graph.feedForward(new INDArray[]{batch}, true), batch),
                graph::clearLayersStates);
    }

    private static void checkArguments(INDArray images, int batchSize) {
        if (images.rank() < 2 || images.size(0) < 1) {
            throw new IllegalArgumentException("batch-norm statistics need at least one image, got an array of shape "
                    + Arrays.toString(images.shape()));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize >= 1 must hold, got " + batchSize);
        }
    }

    /** The batch norm {@code layer} is, null when it is another kind; refuses one wrapped in another layer. */
    private static BatchNormalization batchNorm(Layer layer, String name) {
        if (layer instanceof BatchNormalization bn) {
            return bn;
        }
        Layer inner = layer;
        while (inner instanceof BaseWrapperLayer wrapper) {
            inner = wrapper.getUnderlying();
        }
        if (inner instanceof BatchNormalization) {
            throw new IllegalArgumentException("the batch norm " + name + " is wrapped in a "
                    + layer.getClass().getSimpleName() + ", which may run it in inference mode; estimate its statistics"
                    + " on the network before it is frozen");
        }
        return null;
    }

    /** One forward pass's activations: a network's list (input first), or a graph's map by vertex name. */
    private record Activations(List<INDArray> list, Map<String, INDArray> map, INDArray images) {
    }

    /** A batch norm, what its input is made from, and its sums so far. */
    private static final class Target {
        final String name;
        final BatchNormalization layer;
        final InputPreProcessor pre;
        final Function<Activations, INDArray> input;
        double[] meanSum;
        double[] varSum;

        Target(String name, BatchNormalization layer, InputPreProcessor pre, Function<Activations, INDArray> input) {
            this.name = name;
            this.layer = layer;
            this.pre = pre;
            this.input = input;
        }

        /** Adds one batch's per-channel mean and biased variance, weighted by its {@code count} images. */
        void add(Activations acts, int count) {
            INDArray x = input.apply(acts);
            if (pre != null) {
                x = pre.preProcess(x, count, LayerWorkspaceMgr.noWorkspaces());
            }
            int[] dims = switch (x.rank()) {
                case 2 -> new int[]{0};
                case 4 -> layer.layerConf().getCnn2DFormat() == CNN2DFormat.NHWC ? new int[]{0, 1, 2}
                        : new int[]{0, 2, 3};
                default -> throw new IllegalArgumentException("the batch norm " + name + " gets activations of rank "
                        + x.rank() + " " + Arrays.toString(x.shape()) + "; only rank 2 (dense) and rank 4 "
                        + "(convolutional) are estimated");
            };
            INDArray exact = x.castTo(DataType.DOUBLE);
            double[] mean = exact.mean(dims).toDoubleVector();
            double[] var = exact.var(false, dims).toDoubleVector();
            if (meanSum == null) {
                meanSum = new double[mean.length];
                varSum = new double[var.length];
            }
            for (int c = 0; c < mean.length; c++) {
                meanSum[c] += count * mean[c];
                varSum[c] += count * var[c];
            }
        }

        /** Writes the averages over {@code images} images into the layer's running parameters. */
        void set(int images) {
            double[] mean = new double[meanSum.length];
            double[] var = new double[varSum.length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = meanSum[c] / images;
                var[c] = varSum[c] / images;
            }
            assign(BatchNormalizationParamInitializer.GLOBAL_MEAN, mean);
            if (layer.layerConf().isUseLogStd()) {
                double[] log10Std = new double[var.length];
                for (int c = 0; c < var.length; c++) {
                    log10Std[c] = 0.5 * Math.log10(Math.max(var[c], SMALLEST_VARIANCE));
                }
                assign(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, log10Std);
            } else {
                assign(BatchNormalizationParamInitializer.GLOBAL_VAR, var);
            }
        }

        private void assign(String param, double[] values) {
            INDArray view = layer.getParam(param);
            view.assign(Nd4j.createFromArray(values).castTo(view.dataType()).reshape(view.shape()));
        }
    }

    private static Estimate run(List<Target> targets, INDArray images, int batchSize, long seed,
                                Function<INDArray, Activations> forward, Runnable clear) {
        int n = (int) images.size(0);
        if (targets.isEmpty()) {
            return new Estimate(0, n, 0);
        }
        int batches = (n + batchSize - 1) / batchSize;
        Nd4j.getRandom().setSeed(seed);
        try {
            for (int b = 0; b < batches; b++) {
                // batch b holds images [from, to): sizes floor(n/batches) or one more
                int from = (int) ((long) b * n / batches);
                int to = (int) ((long) (b + 1) * n / batches);
                INDArray batch = images.get(NDArrayIndex.interval(from, to)).dup();
                Activations acts = forward.apply(batch);
                for (Target t : targets) {
                    t.add(acts, to - from);
                }
            }
        } finally {
            clear.run();
        }
        for (Target t : targets) {
            t.set(n);
        }
        return new Estimate(targets.size(), n, batches);
    }
}
