package dev.thaw.train;

import dev.thaw.study.Assignment;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
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
 * Builds the network a trial trains from a source model: the source's output layer is replaced by a new head
 * (dropout, hidden dense layers as {@code head_units} / {@code head_layers} say, softmax over the target classes) and the backbone is frozen below the
 * unfreeze boundary. {@code unfreeze_depth} k thaws the top k parameterised layers of the backbone (in topological
 * order for a graph); 0 trains the head alone; k larger than the backbone's parameterised layers is refused. The
 * thawed backbone layers learn at {@code learning_rate × backbone_lr_factor} (their own DL4J updater), the head at
 * {@code learning_rate}.
 */
final class TransferBuilder {
    static final String HEAD_HIDDEN = "thaw_head_hidden";
    static final String HEAD_OUTPUT = "thaw_head_output";

    private final int epochs;

    /** A builder for trials of {@code epochs} epochs (the length of a learning-rate schedule). */
    TransferBuilder(int epochs) {
        this.epochs = epochs;
    }

    /** The network of a trial's main phase: the head and the top {@code unfreeze_depth} backbone layers train. */
    Network build(Network source, Assignment assignment, int hiddenUnits, int classes, long seed) {
        return build(source, assignment, hiddenUnits, classes, seed, assignment.unfreezeDepth());
    }

    /** The network of a trial's {@code head_epochs}: the same layers, only the head trains. */
    Network buildHeadOnly(Network source, Assignment assignment, int hiddenUnits, int classes, long seed) {
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
        List<Integer> backbone = backboneLayers(source);
        int thawed = checkedDepth(depth, backbone.size());
        Network net = source.isGraph()
                ? new Network(graph(source.graph(), fineTune.build(), thawed, a, hiddenUnits, classes))
                : new Network(layers(source.layers(), fineTune.build(), thawed, a, hiddenUnits, classes));
        if (a.backboneLrFactor() != 1.0) {
            IUpdater slower = Updaters.of(a.optimizer(), a.learningRate() * a.backboneLrFactor(), a.lrSchedule(), epochs,
                    a.momentum());
            for (int i : backbone.subList(backbone.size() - thawed, backbone.size())) {
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
    static Layer layerConf(Network net, Network source, int index) {
        return source.isGraph()
                ? net.graph().getLayer(source.graph().getVertices()[index].getVertexName()).conf().getLayer()
                : net.layers().getLayer(index).conf().getLayer();
    }

    /** Indices of the backbone's parameterised layers (all but the output layer), bottom to top. */
    static List<Integer> backboneLayers(Network source) {
        List<Integer> out = new ArrayList<>();
        if (source.isGraph()) {
            GraphVertex[] vertices = source.graph().getVertices();
            String output = outputName(source.graph().getConfiguration());
            for (int i : source.graph().topologicalSortOrder()) {
                GraphVertex v = vertices[i];
                if (v.hasLayer() && v.getLayer().numParams() > 0 && !v.getVertexName().equals(output)) {
                    out.add(i);
                }
            }
        } else {
            MultiLayerNetwork net = source.layers();
            for (int i = 0; i < net.getnLayers() - 1; i++) {
                if (net.getLayer(i).numParams() > 0) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    private MultiLayerNetwork layers(MultiLayerNetwork source, FineTuneConfiguration fineTune, int depth, Assignment a,
                                     int hiddenUnits, int classes) {
        List<Integer> backbone = backboneLayers(new Network(source));
        int outputIndex = source.getnLayers() - 1;
        int frozenTill = depth == backbone.size() ? -1 : backbone.get(backbone.size() - depth - 1);
        if (depth == 0) {
            frozenTill = outputIndex - 1;
        }
        long nIn = nIn(source.getLayerWiseConfigurations().getConf(outputIndex).getLayer());
        TransferLearning.Builder builder = new TransferLearning.Builder(source)
                .fineTuneConfiguration(fineTune)
                .removeOutputLayer();
        if (frozenTill >= 0) {
            builder.setFeatureExtractor(frozenTill);
        }
        for (Layer layer : head(nIn, a.headUnits(hiddenUnits), a.headLayers(hiddenUnits), classes, a.dropout())) {
            builder.addLayer(layer);
        }
        return builder.build();
    }

    private ComputationGraph graph(ComputationGraph source, FineTuneConfiguration fineTune, int depth, Assignment a,
                                   int hiddenUnits, int classes) {
        ComputationGraphConfiguration conf = source.getConfiguration();
        String output = outputName(conf);
        List<String> inputs = conf.getVertexInputs().get(output);
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the graph's output layer '" + output + "' has " + inputs.size()
                    + " inputs; Thaw replaces an output layer with exactly one");
        }
        LayerVertex outputVertex = (LayerVertex) conf.getVertices().get(output);
        long nIn = nIn(outputVertex.getLayerConf().getLayer());
        List<Integer> backbone = backboneLayers(new Network(source));
        List<String> frozen = new ArrayList<>();
        for (int i : backbone.subList(0, backbone.size() - depth)) {
            frozen.add(source.getVertices()[i].getVertexName());
        }
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(source)
                .fineTuneConfiguration(fineTune)
                .removeVertexAndConnections(output);
        if (!frozen.isEmpty()) {
            builder.setFeatureExtractor(frozen.toArray(String[]::new));
        }
        List<Layer> head = head(nIn, a.headUnits(hiddenUnits), a.headLayers(hiddenUnits), classes, a.dropout());
        InputPreProcessor pre = outputVertex.getPreProcessor();
        String previous = inputs.get(0);
        int hidden = 0;
        for (Layer layer : head) {
            String name = layer instanceof OutputLayer ? HEAD_OUTPUT : HEAD_HIDDEN + (hidden++ == 0 ? "" : "_" + hidden);
            if (pre != null) {
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
    private static List<Layer> head(long nIn, int hiddenUnits, int hiddenLayers, int classes, double dropout) {
        List<Layer> layers = new ArrayList<>();
        long in = nIn;
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
                    + available + " parameterised backbone layers; lower space.unfreeze_depth to at most " + available);
        }
        return depth;
    }

    private static long nIn(Layer outputLayer) {
        if (outputLayer instanceof FeedForwardLayer ff) {
            return ff.getNIn();
        }
        throw new IllegalArgumentException("the source model's output layer is a " + outputLayer.getClass().getSimpleName()
                + "; Thaw replaces a dense output layer");
    }

    private static String outputName(ComputationGraphConfiguration conf) {
        List<String> outputs = conf.getNetworkOutputs();
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("the source graph has " + outputs.size()
                    + " outputs; Thaw fine-tunes single-output classifiers");
        }
        return outputs.get(0);
    }
}
