package dev.thaw.train.transfer;

import dev.thaw.train.source.Backbone;
import dev.thaw.train.source.Network;

import dev.thaw.study.Assignment;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the network a trial trains from a source model: the source's classifier (see {@link Backbone}) is replaced
 * by a new head (global average pooling when the head starts on a feature map, dropout, hidden dense layers as
 * {@code head_units} / {@code head_layers} say, softmax over the target classes) and the backbone is frozen below
 * the unfreeze boundary. {@code unfreeze_depth} k thaws the backbone's top k blocks; 0 trains the head alone; k
 * larger than the backbone's blocks is refused. For a graph the boundary is the set of frozen vertices, and DL4J
 * freezes everything feeding them too. The thawed layers learn at {@code learning_rate × backbone_lr_factor} (their
 * own DL4J updater), the head at {@code learning_rate}.
 */
public final class TransferBuilder {
    static final String HEAD_HIDDEN = "thaw_head_hidden";
    public static final String HEAD_OUTPUT = "thaw_head_output";
    static final String HEAD_POOL = "thaw_head_pool";

    private final int epochs;

    /** A builder for trials of {@code epochs} epochs (the length of a learning-rate schedule). */
    public TransferBuilder(int epochs) {
        this.epochs = epochs;
    }

    /** The network of a trial's main phase: the head and the top {@code unfreeze_depth} backbone layers train. */
    public Network build(Network source, Assignment assignment, int hiddenUnits, int classes, long seed) {
        return build(source, assignment, hiddenUnits, classes, seed, assignment.unfreezeDepth());
    }

    /** The network of a trial's {@code head_epochs}: the same layers, only the head trains. */
    public Network buildHeadOnly(Network source, Assignment assignment, int hiddenUnits, int classes, long seed) {
        return build(source, assignment, hiddenUnits, classes, seed, 0);
    }

    private Network build(Network source, Assignment a, int hiddenUnits, int classes, long seed, int depth) {
        Nd4j.getRandom().setSeed(seed);
        FineTuneConfiguration.Builder fineTune = new FineTuneConfiguration.Builder()
                .updater(Updaters.of(a.optimizer(), a.learningRate(), a.lrSchedule(), epochs, a.momentum()))
                .seed(seed);
        if (a.weightDecay() > 0) {
            fineTune.weightDecay(a.weightDecay());
        }
        Backbone backbone = Backbone.of(source);
        int thawed = checkedDepth(depth, backbone.blocks().size());
        Network net = source.isGraph()
                ? new Network(graph(source.graph(), backbone, fineTune.build(), thawed, a, hiddenUnits, classes))
                : new Network(layers(source.layers(), backbone, fineTune.build(), thawed, a, hiddenUnits, classes));
        if (a.backboneLrFactor() != 1.0) {
            IUpdater slower = Updaters.of(a.optimizer(), a.learningRate() * a.backboneLrFactor(), a.lrSchedule(), epochs,
                    a.momentum());
            for (int i : backbone.thawed(thawed)) {
                if (layerConf(net, source, i) instanceof BaseLayer trained) {
                    trained.setIUpdater(slower.clone());
                    if (trained.getBiasUpdater() != null) {
                        trained.setBiasUpdater(slower.clone());
                    }
                }
            }
        }
        return net;
    }

    /** The configuration of {@code net}'s layer that was layer (or vertex) {@code index} of {@code source}. */
    public static Layer layerConf(Network net, Network source, int index) {
        return source.isGraph()
                ? net.graph().getLayer(source.graph().getVertices()[index].getVertexName()).conf().getLayer()
                : net.layers().getLayer(index).conf().getLayer();
    }

    /** Indices of the backbone's parameterised layers (all below the classifier), bottom to top. */
    public static List<Integer> backboneLayers(Network source) {
        return Backbone.of(source).layers();
    }

    private MultiLayerNetwork layers(MultiLayerNetwork source, Backbone backbone, FineTuneConfiguration fineTune,
                                     int depth, Assignment a, int hiddenUnits, int classes) {
        int top = backbone.top();
        List<Integer> thawed = backbone.thawed(depth);
        // everything below the lowest thawed layer is frozen; with nothing thawed, everything below the head
        int frozenTill = thawed.isEmpty() ? top - 1 : thawed.get(0) - 1;
        Layer replaced = source.getLayerWiseConfigurations().getConf(top).getLayer();
        TransferLearning.Builder builder = new TransferLearning.Builder(source)
                .fineTuneConfiguration(fineTune)
                .removeLayersFromOutput(source.getnLayers() - top);
        if (frozenTill >= 0) {
            builder.setFeatureExtractor(frozenTill);
        }
        for (Layer layer : head(replaced, a.headUnits(hiddenUnits), a.headLayers(hiddenUnits), classes, a.dropout())) {
            builder.addLayer(layer);
        }
        return builder.build();
    }

    private ComputationGraph graph(ComputationGraph source, Backbone backbone, FineTuneConfiguration fineTune,
                                   int depth, Assignment a, int hiddenUnits, int classes) {
        ComputationGraphConfiguration conf = source.getConfiguration();
        GraphVertex[] vertices = source.getVertices();
        String top = vertices[backbone.top()].getVertexName();
        LayerVertex topVertex = (LayerVertex) conf.getVertices().get(top);
        List<String> frozen = new ArrayList<>();
        List<Integer> thawed = backbone.thawed(depth);
        for (int i : backbone.layers()) {
            if (!thawed.contains(i)) {
                frozen.add(vertices[i].getVertexName());
            }
        }
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(source)
                .fineTuneConfiguration(fineTune);
        for (int i : backbone.classifier()) {
            builder.removeVertexAndConnections(vertices[i].getVertexName());
        }
        if (!frozen.isEmpty()) {
            builder.setFeatureExtractor(frozen.toArray(String[]::new));
        }
        List<Layer> head = head(topVertex.getLayerConf().getLayer(), a.headUnits(hiddenUnits),
                a.headLayers(hiddenUnits), classes, a.dropout());
        InputPreProcessor pre = topVertex.getPreProcessor();
        String previous = conf.getVertexInputs().get(top).get(0);
        int hidden = 0;
        for (Layer layer : head) {
            String name = layer instanceof OutputLayer ? HEAD_OUTPUT
                    : layer instanceof GlobalPoolingLayer ? HEAD_POOL
                    : HEAD_HIDDEN + (hidden++ == 0 ? "" : "_" + hidden);
            if (pre != null && !(layer instanceof GlobalPoolingLayer)) {
                builder.addLayer(name, layer, pre, previous);
                pre = null;
            } else {
                builder.addLayer(name, layer, previous);
            }
            previous = name;
        }
        return builder.setOutputs(HEAD_OUTPUT).build();
    }

    /**
     * The new head: {@code hiddenLayers} dense ReLU layers of {@code hiddenUnits} each, then softmax over the classes;
     * DL4J's dropOut takes the probability of keeping an input, so rate d becomes 1 - d.
     */
    private static List<Layer> head(Layer replaced, int hiddenUnits, int hiddenLayers, int classes, double dropout) {
        List<Layer> layers = new ArrayList<>();
        long in;
        if (replaced instanceof ConvolutionLayer conv) {
            // a convolutional classifier (SqueezeNet, Darknet): the head takes the feature map's channel means
            layers.add(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
            in = conv.getNIn();
        } else {
            in = nIn(replaced);
        }
        for (int i = 0; i < hiddenLayers; i++) {
            DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(in).nOut(hiddenUnits)
                    .activation(Activation.RELU).weightInit(WeightInit.RELU);
            if (dropout > 0) {
                hidden.dropOut(1 - dropout);
            }
            layers.add(hidden.build());
            in = hiddenUnits;
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(in).nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (dropout > 0) {
            output.dropOut(1 - dropout);
        }
        layers.add(output.build());
        return layers;
    }

    private static int checkedDepth(int depth, int available) {
        if (depth > available) {
            throw new IllegalArgumentException("unfreeze_depth " + depth + " exceeds the source model's "
                    + available + " backbone blocks; lower space.unfreeze_depth to at most " + available);
        }
        return depth;
    }

    private static long nIn(Layer outputLayer) {
        if (outputLayer instanceof FeedForwardLayer ff) {
            return ff.getNIn();
        }
        throw new IllegalArgumentException("the source model's top layer is a " + outputLayer.getClass().getSimpleName()
                + "; Thaw replaces a dense or 1x1-convolution classifier");
    }
}
