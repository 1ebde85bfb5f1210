package dev.thaw.train.source;

import dev.thaw.study.ModelSpec;
import dev.thaw.train.data.ModelInput;
import dev.thaw.study.ModelSpec.ZooArchitecture;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a study's pretrained source model, whatever {@code model.source} says it is: a DL4J zip (builtin, dl4j), a
 * Keras .h5 through DL4J's KerasModelImport (functional or sequential), or a DL4J zoo architecture — with its
 * ImageNet weights, which DL4J downloads into its cache on first use, or randomly initialised at the study's image
 * size.
 */
public final class SourceModels {
    /** Zoo models are built for this many classes; Thaw replaces their classifier anyway. */
    private static final int ZOO_CLASSES = 1000;

    private SourceModels() {
    }

    /** Loads the model, for images of {@code imageSize} (zoo models are built for it, or checked against it). */
    public static Network load(ModelSpec model, int imageSize, long seed) throws IOException {
        return switch (model.source()) {
            case BUILTIN, DL4J -> Network.load(model.path().orElseThrow());
            case KERAS -> keras(model.path().orElseThrow());
            case ZOO -> zoo(model.zoo().orElseThrow(), model.weights(), imageSize, seed);
        };
    }

    static Network keras(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file not found: " + file);
        }
        try {
            return withoutNoOpDropout(new Network(KerasModelImport.importKerasModelAndWeights(file.toString(), false)));
        } catch (InvalidKerasConfigurationException functional) {
            try {
                return withoutNoOpDropout(new Network(
                        KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false)));
            } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException sequential) {
                throw new IOException(file + " is not a Keras model DL4J can import: " + oneLine(functional), functional);
            }
        } catch (UnsupportedKerasConfigurationException e) {
            throw new IOException(file + " uses what DL4J's Keras import does not support: " + oneLine(e), e);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a Keras HDF5 model file (save it with model.save('model.h5')): "
                    + oneLine(e), e);
        }
    }

    /**
     * Keras import gives every layer a dropout that keeps everything (p = 1); it does nothing but break the backward
     * pass of channels-last convolutions once they are thawed, so it goes.
     */
    private static Network withoutNoOpDropout(Network net) {
        List<Layer> confs = new ArrayList<>();
        if (net.isGraph()) {
            net.graph().getConfiguration().getVertices().values().stream()
                    .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                    .forEach(confs::add);
            for (GraphVertex v : net.graph().getVertices()) {
                if (v.hasLayer()) {
                    confs.add(v.getLayer().conf().getLayer());
                }
            }
        } else {
            net.layers().getLayerWiseConfigurations().getConfs().forEach(c -> confs.add(c.getLayer()));
            for (org.deeplearning4j.nn.api.Layer layer : net.layers().getLayers()) {
                confs.add(layer.conf().getLayer());
            }
        }
        for (Layer conf : confs) {
            if (conf.getIDropout() instanceof Dropout d && d.getP() >= 1.0 && d.getPSchedule() == null) {
                conf.setIDropout(null);
            }
        }
        return net;
    }

    static Network zoo(ZooArchitecture architecture, ModelSpec.ZooWeights weights, int imageSize, long seed)
            throws IOException {
        if (weights == ModelSpec.ZooWeights.NONE) {
            int smallest = smallestSide(architecture);
            if (imageSize < smallest) {
                throw new IOException("data.image_size: zoo model " + architecture.key() + " (random weights) takes "
                        + "images of at least " + smallest + "x" + smallest + ", got " + imageSize + "; set image_size: "
                        + smallest + " or more (its ImageNet weights take " + architecture.imageSize() + ")");
            }
            return network(create(architecture, imageSize, seed).init());
        }
        ZooModel<?> zoo = create(architecture, architecture.imageSize(), seed);
        if (imageSize != architecture.imageSize()) {
            throw new IOException("data.image_size: " + architecture.key() + "'s ImageNet weights take "
                    + architecture.imageSize() + "x" + architecture.imageSize() + " images, got " + imageSize
                    + "; set image_size: " + architecture.imageSize());
        }
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        File cached = new File(DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()),
                new File(url).getName());
        try {
            return network(zoo.initPretrained(PretrainedType.IMAGENET));
        } catch (IOException | RuntimeException e) {
            throw new IOException("model: " + architecture.key() + "'s ImageNet weights are not in DL4J's cache and "
                    + "could not be downloaded (" + e.getClass().getSimpleName() + ": " + oneLine(e) + "); download " + url + " on a machine with internet "
                    + "access and place it at " + cached + " (or set -D" + DL4JResources.DL4J_RESOURCES_DIR_PROPERTY
                    + " to a folder holding models/" + zoo.modelName() + "/" + cached.getName() + ")", e);
        }
    }

    /**
     * The smallest image side at which DL4J builds the architecture and it gives an output: below it, the feature
     * map shrinks to nothing before the classifier. Found by building each architecture with random weights at every
     * side from 4 up and running a blank image through it and through Thaw's transfer network (DL4J 1.0.0-M2.1);
     * ZooModelsTest holds each number (refused one below, built and run at it).
     */
    static int smallestSide(ZooArchitecture architecture) {
        return switch (architecture) {
            case VGG16, VGG19, DARKNET19 -> 4; // any side the study file allows
            case RESNET50 -> 69;
            case SQUEEZENET -> 23;
            case XCEPTION -> 7;
        };
    }

    private static ZooModel<?> create(ZooArchitecture architecture, int size, long seed) {
        int[] shape = {3, size, size};
        return switch (architecture) {
            case VGG16 -> VGG16.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
            case VGG19 -> VGG19.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
            case RESNET50 -> ResNet50.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
            case SQUEEZENET -> SqueezeNet.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
            case XCEPTION -> Xception.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
            case DARKNET19 -> Darknet19.builder().numClasses(ZOO_CLASSES).inputShape(shape).seed(seed).build();
        };
    }

    private static Network network(Model model) {
        if (model instanceof ComputationGraph graph) {
            return new Network(graph);
        }
        return new Network((MultiLayerNetwork) model);
    }

    /** What the network's first parameterised layer takes, when it is a convolution. */
    public static Optional<ModelInput> input(Network net) {
        return firstLayer(net).filter(l -> l instanceof ConvolutionLayer).map(l -> (ConvolutionLayer) l)
                .map(conv -> new ModelInput((int) conv.getNIn(), conv.getCnn2dDataFormat() == CNN2DFormat.NHWC));
    }

    private static Optional<Layer> firstLayer(Network net) {
        if (net.isGraph()) {
            GraphVertex[] vertices = net.graph().getVertices();
            for (int i : net.graph().topologicalSortOrder()) {
                if (vertices[i].hasLayer() && vertices[i].getLayer().numParams() > 0) {
                    return Optional.of(vertices[i].getLayer().conf().getLayer());
                }
            }
            return Optional.empty();
        }
        for (int i = 0; i < net.layers().getnLayers(); i++) {
            if (net.layers().getLayer(i).numParams() > 0) {
                return Optional.of(net.layers().getLayer(i).conf().getLayer());
            }
        }
        return Optional.empty();
    }

    private static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.lines().findFirst().orElse(msg).strip();
    }
}
