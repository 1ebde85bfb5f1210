package dev.thaw.study;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The pretrained source model and the new head put on it.
 *
 * @param source      where the model comes from
 * @param path        the model file: a DL4J ModelSerializer zip ({@code builtin}, {@code dl4j}) or a Keras .h5
 *                    ({@code keras}); empty for {@code zoo}
 * @param zoo         the DL4J zoo architecture, for {@code zoo}
 * @param weights     the zoo model's weights
 * @param hiddenUnits units of the head's hidden dense layer; 0 for none (dropout then softmax)
 */
public record ModelSpec(ModelSource source, Optional<Path> path, Optional<ZooArchitecture> zoo, ZooWeights weights,
                        int hiddenUnits) {
    public ModelSpec {
        if (hiddenUnits < 0) {
            throw new IllegalArgumentException("hiddenUnits must be >= 0, got " + hiddenUnits);
        }
        if (source == ModelSource.ZOO ? zoo.isEmpty() : path.isEmpty()) {
            throw new IllegalArgumentException(source.key() + " needs " + (source == ModelSource.ZOO ? "a zoo name" : "a path"));
        }
    }

    /** A model from a file: builtin, dl4j or keras. */
    public static ModelSpec file(ModelSource source, Path path, int hiddenUnits) {
        return new ModelSpec(source, Optional.of(path), Optional.empty(), ZooWeights.IMAGENET, hiddenUnits);
    }

    /** A DL4J zoo architecture with the given weights. */
    public static ModelSpec zoo(ZooArchitecture architecture, ZooWeights weights, int hiddenUnits) {
        return new ModelSpec(ModelSource.ZOO, Optional.empty(), Optional.of(architecture), weights, hiddenUnits);
    }

    /** The model for people: its file, or its zoo name and weights. */
    public String describe() {
        return source == ModelSource.ZOO ? "zoo model " + zoo.orElseThrow().key() + " ("
                + (weights == ZooWeights.IMAGENET ? "ImageNet" : "random") + " weights)" : path.orElseThrow().toString();
    }

    /** How this model's inputs are scaled when the study file does not say (data.preprocess). */
    public Preprocess defaultPreprocess() {
        return source == ModelSource.ZOO && weights == ZooWeights.IMAGENET ? zoo.orElseThrow().preprocess()
                : Preprocess.UNIT;
    }

    /** Kinds of source model. */
    public enum ModelSource {
        /** The small CNN that {@code thaw pretrain} trains and saves. */
        BUILTIN,
        /** Any DL4J ModelSerializer zip: MultiLayerNetwork or ComputationGraph. */
        DL4J,
        /** A Keras model file (.h5, Keras 1 or 2), sequential or functional, imported with DL4J's KerasModelImport. */
        KERAS,
        /** A DL4J zoo architecture by name, with its pretrained weights. */
        ZOO;

        public String key() {
            return Keys.of(this);
        }
    }

    /** Which weights a zoo model starts from. */
    public enum ZooWeights {
        /** DL4J's ImageNet weights, downloaded into DL4J's cache on first use. */
        IMAGENET,
        /** Random initialisation: the architecture alone (to inspect it, or to test with). */
        NONE;

        public String key() {
            return Keys.of(this);
        }
    }

    /**
     * The DL4J zoo architectures Thaw fine-tunes, with the input scaling and the image side their ImageNet weights
     * were trained on.
     */
    public enum ZooArchitecture {
        VGG16(Preprocess.IMAGENET, 224),
        VGG19(Preprocess.IMAGENET, 224),
        RESNET50(Preprocess.IMAGENET, 224),
        SQUEEZENET(Preprocess.IMAGENET, 227),
        XCEPTION(Preprocess.SIGNED, 299),
        DARKNET19(Preprocess.UNIT, 224);

        private final Preprocess preprocess;
        private final int imageSize;

        ZooArchitecture(Preprocess preprocess, int imageSize) {
            this.preprocess = preprocess;
            this.imageSize = imageSize;
        }

        public Preprocess preprocess() {
            return preprocess;
        }

        /** The square input side of the ImageNet weights. */
        public int imageSize() {
            return imageSize;
        }

        public String key() {
            return Keys.of(this);
        }
    }
}
