package dev.thaw.train.source;

import dev.thaw.study.Printable;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Which square images a source model takes, worked out from its configuration alone: the shape of the images is
 * carried through the layers as DL4J's {@link InputType}s, with no array made, so it is cheap even for big models. A
 * side passes when every layer gets the kind of input it needs (a dense layer a flat vector, a convolution a feature
 * map), every layer with a fixed input size ({@code nIn}) gets that size, and no feature map shrinks to nothing. It is
 * what the check of a study explains a refusal with; the forward pass stays the final word.
 */
public final class InputSides {
    /** The sides the study file allows for {@code data.image_size}. */
    public static final int SMALLEST = 4;
    public static final int LARGEST = 1024;

    /**
     * Why a side does not pass.
     *
     * @param layer     the layer where it stops, for people ({@code layer 4}, {@code layer fc1}); empty for the whole model
     * @param reason    what goes wrong there, to follow the layer's name
     * @param flatInput true when it is a dense layer the images reach unflattened: the model takes vectors, not images
     * @param values    the inputs that dense layer takes
     */
    public record Refusal(String layer, String reason, boolean flatInput, long values) {
        /** The layer and the reason as one phrase. */
        public String text() {
            return layer.isEmpty() ? reason : layer + " " + reason;
        }
    }

    private final Shapes shapes;
    private final int channels;
    private final CNN2DFormat format;

    private InputSides(Shapes shapes, int channels, boolean channelsLast) {
        this.shapes = shapes;
        this.channels = channels;
        this.format = channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
    }

    /** The sides {@code net} takes, given images of {@code channels} channels, NCHW or (channels last) NHWC. */
    public static InputSides of(Network net, int channels, boolean channelsLast) {
        Shapes shapes = net.isGraph() ? graph(net.graph().getConfiguration())
                : layers(net.layers().getLayerWiseConfigurations());
        return new InputSides(shapes, channels, channelsLast);
    }

    /** Why images of {@code side} x {@code side} do not pass, or empty when they do. */
    public Optional<Refusal> refusal(int side) {
        try {
            shapes.carry(InputType.convolutional(side, side, channels, format));
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.refusal);
        } catch (RuntimeException e) {
            return Optional.of(new Refusal("", "DL4J: " + Printable.firstLine(e), false, 0));
        }
    }

    boolean takes(int side) {
        return refusal(side).isEmpty();
    }

    /** The smallest side from {@link #SMALLEST} to {@link #LARGEST} that passes. */
    public Optional<Integer> smallest() {
        return IntStream.rangeClosed(SMALLEST, LARGEST).filter(this::takes).boxed().findFirst();
    }

    /** The sides from {@code from} on that pass without a gap: from..to, {@code to} at most {@link #LARGEST}. */
    public int runFrom(int from) {
        int to = from;
        while (to < LARGEST && takes(to + 1)) {
            to++;
        }
        return to;
    }

    /** Checks one layer's input after its preprocessor; returns what the layer puts out. */
    private static InputType through(int index, Layer layer, InputPreProcessor pre, InputType in, String name) {
        InputType x = in;
        if (pre instanceof FeedForwardToCnnPreProcessor && in.getType() == InputType.Type.CNN) {
            // it passes a 4-d input through whatever its recorded shape (DL4J's preProcess); only its check would not
            x = in;
        } else if (pre != null) {
            x = pre.getOutputType(in);
        }
        if (layer instanceof FeedForwardLayer ff && ff.getNIn() > 0) {
            boolean featureMap = x.getType() == InputType.Type.CNN;
            if (featureMap && (layer instanceof DenseLayer || layer instanceof BaseOutputLayer)) {
                throw new Refused(new Refusal(name, "a dense layer of " + ff.getNIn() + " inputs gets a "
                        + "feature map", true, ff.getNIn()));
            }
            long given;
            if (featureMap && (layer instanceof ConvolutionLayer || layer instanceof BatchNormalization)) {
                given = ((InputType.InputTypeConvolutional) x).getChannels();
            } else {
                // DL4J's own rule for what this kind of layer takes from this input (on a copy: it sets it)
                Layer probe = layer.clone();
                probe.setNIn(x, true);
                given = ((FeedForwardLayer) probe).getNIn();
            }
            if (given != ff.getNIn()) {
                throw new Refused(new Refusal(name, "takes " + ff.getNIn() + (featureMap ? " channels" : " values")
                        + ", these images give it " + given, false, ff.getNIn()));
            }
        }
        InputType out = layer.getOutputType(index, x);
        requirePositive(out, name);
        return out;
    }

    /** A feature map that has shrunk to nothing (what flat outputs hold is the layers' business, not the image's). */
    private static void requirePositive(InputType t, String name) {
        if (t instanceof InputType.InputTypeConvolutional c && (c.getHeight() <= 0 || c.getWidth() <= 0)) {
            throw new Refused(new Refusal(name, "has nothing left of the image (" + c.getHeight() + "x" + c.getWidth()
                    + " by then)", false, 0));
        }
    }

    /** Thrown where the images do not fit, to stop carrying them. */
    private static final class Refused extends RuntimeException {
        public final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.layer() + " " + refusal.reason(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** Carries a network input through a configuration; throws where it does not fit. */
    private interface Shapes {
        void carry(InputType in);
    }

    private static Shapes layers(MultiLayerConfiguration conf) {
        return in -> {
            InputType x = in;
            for (int i = 0; i < conf.getConfs().size(); i++) {
                Layer layer = conf.getConf(i).getLayer();
                String named = layer.getLayerName();
                // DL4J names unnamed layers layerN when it loads them
                String name = "layer " + (named == null || named.equals("layer" + i) ? String.valueOf(i) : named);
                x = through(i, layer, conf.getInputPreProcess(i), x, name);
            }
        };
    }

    private static Shapes graph(ComputationGraphConfiguration conf) {
        return in -> {
            if (conf.getNetworkInputs().size() != 1) {
                throw new Refused(new Refusal("", "the graph has " + conf.getNetworkInputs().size()
                        + " inputs; Thaw gives it one", false, 0));
            }
            Map<String, InputType> done = new HashMap<>();
            done.put(conf.getNetworkInputs().get(0), in);
            for (String output : conf.getNetworkOutputs()) {
                type(conf, output, done);
            }
        };
    }

    /** The type out of vertex {@code name}, its inputs' first (depth first, each vertex once). */
    private static InputType type(ComputationGraphConfiguration conf, String name, Map<String, InputType> done) {
        InputType known = done.get(name);
        if (known != null) {
            return known;
        }
        List<String> inputs = conf.getVertexInputs().get(name);
        InputType[] in = new InputType[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = type(conf, inputs.get(i), done);
        }
        GraphVertex vertex = conf.getVertices().get(name);
        InputType out;
        if (vertex instanceof LayerVertex lv) {
            out = through(-1, lv.getLayerConf().getLayer(), lv.getPreProcessor(), in[0], "layer " + name);
        } else {
            out = vertex.getOutputType(-1, in);
            requirePositive(out, "vertex " + name);
        }
        done.put(name, out);
        return out;
    }
}
