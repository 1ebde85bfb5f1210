package dev.thaw.train.source;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source model split into what Thaw replaces and what it fine-tunes. The <em>classifier</em> is the output and
 * everything between it and the top parameterised layer (a dense output layer; or SqueezeNet's and Darknet's 1x1
 * convolution, pooling and loss). The <em>backbone</em> below it is counted in the model's natural blocks, which are
 * the units of {@code unfreeze_depth}: named blocks where the layer names give them (ResNet residual blocks
 * {@code res2a_*}, Keras {@code conv2_block1_*}, VGG/Xception {@code block1_*}, SqueezeNet {@code fire2_*}); elsewhere
 * the convolutions up to each pooling layer (a plain conv stack's stages, {@code stage1}, {@code stage2}, ..., as in
 * DL4J's VGG16, whose layers are numbered), and every other parameterised layer alone (a dense layer, by its name). A batch normalisation always belongs to the block of the layer before it.
 *
 * @param blocks     the backbone's blocks, bottom to top
 * @param classifier indices of the classifier's layers (a graph's vertex indices), top first; the last is the top
 *                   parameterised layer, whose input the new head takes
 */
public record Backbone(List<Block> blocks, List<Integer> classifier) {
    private static final List<Map.Entry<Pattern, String>> NAMED_BLOCKS = List.of(
            Map.entry(Pattern.compile("^(?:res|bn)(\\d+[a-z]+)_branch.*"), "res$1"),
            Map.entry(Pattern.compile("^(conv\\d+_block\\d+)_.*"), "$1"),
            Map.entry(Pattern.compile("^(block\\d+|fire\\d+|stem)(?:[_-].*)?$"), "$1"));
    private static final Pattern XCEPTION_SHORTCUT = Pattern.compile("^residual(\\d+)(?:_conv)?$");

    /** One unit of unfreeze depth: parameterised layers (by index, and by name for people), and their parameters. */
    public record Block(String name, List<Integer> layers, List<String> layerNames, long params) {
        Block with(int layer, String layerName, long layerParams) {
            List<Integer> l = new ArrayList<>(layers);
            l.add(layer);
            List<String> n = new ArrayList<>(layerNames);
            n.add(layerName);
            return new Block(name, List.copyOf(l), List.copyOf(n), params + layerParams);
        }
    }

    public static Backbone of(Network source) {
        return source.isGraph() ? graph(source.graph()) : layers(source.layers());
    }

    /** Layer indices of the backbone's blocks, bottom to top. */
    public List<Integer> layers() {
        return blocks.stream().flatMap(b -> b.layers().stream()).toList();
    }

    /** Layer indices of the top {@code depth} blocks: what {@code unfreeze_depth = depth} thaws. */
    public List<Integer> thawed(int depth) {
        return blocks.subList(blocks.size() - depth, blocks.size()).stream().flatMap(b -> b.layers().stream()).toList();
    }

    /** The top parameterised layer, which Thaw's head replaces. */
    public int top() {
        return classifier.get(classifier.size() - 1);
    }

    private static Backbone layers(MultiLayerNetwork net) {
        List<Integer> classifier = new ArrayList<>();
        int i = net.getnLayers() - 1;
        while (i >= 0) {
            classifier.add(i);
            if (net.getLayer(i).numParams() > 0) {
                break;
            }
            i--;
        }
        if (i < 0) {
            throw new IllegalArgumentException("the source model has no parameterised layer to replace");
        }
        Grouping grouping = new Grouping();
        for (int j = 0; j < i; j++) {
            grouping.add(j, layerName(net, j), net.getLayer(j));
        }
        return new Backbone(grouping.blocks(), List.copyOf(classifier));
    }

    /** A MultiLayerNetwork layer's name (Keras imports keep theirs), or {@code layerN}. */
    public static String layerName(MultiLayerNetwork net, int index) {
        String name = net.getLayer(index).conf().getLayer().getLayerName();
        return name == null || name.isBlank() ? "layer" + index : name;
    }

    private static Backbone graph(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("the source graph has " + conf.getNetworkOutputs().size()
                    + " outputs; Thaw fine-tunes single-output classifiers");
        }
        List<Integer> classifier = new ArrayList<>();
        String name = conf.getNetworkOutputs().get(0);
        while (true) {
            GraphVertex v = graph.getVertex(name);
            if (v.isInputVertex()) {
                throw new IllegalArgumentException("the source graph has no parameterised layer before its output");
            }
            classifier.add(v.getVertexIndex());
            List<String> inputs = conf.getVertexInputs().get(name);
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("the source graph's classifier vertex '" + name + "' has "
                        + inputs.size() + " inputs; Thaw replaces a classifier that is one chain of vertices");
            }
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                break;
            }
            name = inputs.get(0);
        }
        Grouping grouping = new Grouping();
        GraphVertex[] vertices = graph.getVertices();
        for (int i : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (!classifier.contains(i) && v.hasLayer()) {
                grouping.add(i, v.getVertexName(), v.getLayer());
            }
        }
        return new Backbone(grouping.blocks(), List.copyOf(classifier));
    }

    /** Puts layers, in order, into blocks. */
    private static final class Grouping {
        private final Map<String, Block> blocks = new LinkedHashMap<>();
        private String last;
        /** The block a pooling layer has not yet closed, when it is a run of unnamed convolutions. */
        private String openStage;
        private int unnamed;

        void add(int index, String name, Layer layer) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof SubsamplingLayer) {
                openStage = null;
            }
            if (layer.numParams() == 0) {
                return;
            }
            Optional<String> named = named(name);
            String block;
            if (named.isPresent()) {
                block = named.get();
                openStage = null;
            } else if (conf instanceof BatchNormalization && last != null) {
                block = last;
            } else if (openStage != null && !(conf instanceof DenseLayer)) {
                block = openStage;
            } else {
                block = conf instanceof DenseLayer ? (name.matches("\\d+") ? "dense" + name : name)
                        : "stage" + (++unnamed);
                openStage = conf instanceof DenseLayer ? null : block;
            }
            blocks.merge(block, new Block(block, List.of(index), List.of(name), layer.numParams()),
                    (had, one) -> had.with(index, name, layer.numParams()));
            last = block;
        }

        List<Block> blocks() {
            return List.copyOf(blocks.values());
        }
    }

    public static Optional<String> named(String layerName) {
        Matcher shortcut = XCEPTION_SHORTCUT.matcher(layerName);
        if (shortcut.matches()) {
            return Optional.of("block" + (Integer.parseInt(shortcut.group(1)) + 1));
        }
        for (Map.Entry<Pattern, String> e : NAMED_BLOCKS) {
            Matcher m = e.getKey().matcher(layerName);
            if (m.matches()) {
                return Optional.of(m.replaceFirst(e.getValue()));
            }
        }
        return Optional.empty();
    }
}
