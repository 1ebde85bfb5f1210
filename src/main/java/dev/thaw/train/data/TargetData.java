package dev.thaw.train.data;


import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.Preprocess;
import dev.thaw.study.StudySpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A study's target data, read once and shared by its trials: a seeded, stratified train/validation split of
 * {@code per_class} images of each class (all of them when 0) — or, with {@code validation.folds} k, k stratified folds
 * of them, each in turn held out — and the source's test split when it has one. Labels
 * are re-numbered 0..k-1 in the order of {@code data.classes}; features are NCHW [n, channels, size, size], with
 * the channels the model takes (gray copied to RGB or RGB turned to gray as needed), scaled as
 * {@code data.preprocess} says.
 */
public final class TargetData {
    /** ImageNet's mean pixel in BGR order, as DL4J's VGG16ImagePreProcessor subtracts it. */
    private static final double[] IMAGENET_MEAN_BGR = {103.939, 116.779, 123.68};

    /** Images to train on, and the held-out images that score the training, with where each comes from. */
    public record Split(DataSet train, DataSet validation, List<String> validationIds) {
        Split arranged(ModelInput input) {
            return new Split(TargetData.arranged(train, input), TargetData.arranged(validation, input), validationIds);
        }
    }

    private final List<Split> splits;
    private final Optional<DataSet> test;
    private final String fingerprint;
    private final int classes;
    private final boolean channelsLast;
    private final double valueRange;

    private TargetData(List<Split> splits, Optional<DataSet> test, String fingerprint, int classes,
                       boolean channelsLast, double valueRange) {
        this.splits = List.copyOf(splits);
        this.test = test;
        this.fingerprint = fingerprint;
        this.classes = classes;
        this.channelsLast = channelsLast;
        this.valueRange = valueRange;
    }

    /**
     * The data of a study as its source model takes it ({@code input}, from the model's first layer): in its channels
     * (the data's own when the model does not say), channels first or last.
     */
    public static TargetData forStudy(StudySpec spec, Optional<ModelInput> input) throws IOException {
        TargetData data = input.isPresent() ? load(spec.data(), spec.seed(), input.get().channels())
                : load(spec.data(), spec.seed());
        if (input.isEmpty() || !input.get().channelsLast()) {
            return data;
        }
        ModelInput in = input.get();
        return new TargetData(data.splits.stream().map(s -> s.arranged(in)).toList(), data.test.map(t -> arranged(t, in)),
                data.fingerprint, data.classes, true, data.valueRange);
    }

    private static DataSet arranged(DataSet data, ModelInput input) {
        return new DataSet(input.arrange(data.getFeatures()), data.getLabels());
    }

    /** Reads and splits the data in the source's own channels (IDX 1, CIFAR-10 and folders 3). */
    public static TargetData load(DataSpec spec, long seed) throws IOException {
        return load(spec, seed, ownChannels(spec));
    }

    /** The channels of the source's images: 1 for IDX (gray), 3 for CIFAR-10 and folders. */
    public static int ownChannels(DataSpec spec) {
        return spec.source() instanceof ImageSource.Idx ? 1 : 3;
    }

    /** Reads and splits the data for a model of {@code channels} input channels; the same spec and seed give the same split. */
    public static TargetData load(DataSpec spec, long seed, int channels) throws IOException {
        if (spec.preprocess() == Preprocess.IMAGENET && channels != 3) {
            throw new IOException("data.preprocess: imagenet needs a model of 3 input channels, this one takes "
                    + channels + "; use preprocess: unit");
        }
        Set<Integer> keep = new HashSet<>(spec.classes());
        ImageSet all = ImageSet.train(spec.source(), keep, spec.classNames());
        Optional<ImageSet> testImages = spec.hasTest()
                ? Optional.of(ImageSet.test(spec.source(), keep, spec.classNames())) : Optional.empty();
        List<ClassCount> counts = DataCheck.counts(spec, all, testImages);
        Random random = new Random(seed);
        int folds = spec.folds();
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> validationIdx = new ArrayList<>();
        List<List<Integer>> foldIdx = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            foldIdx.add(new ArrayList<>());
        }
        for (int c = 0; c < spec.classes().size(); c++) {
            int cls = spec.classes().get(c);
            List<Integer> ofClass = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.label(i) == cls) {
                    ofClass.add(i);
                }
            }
            int use = counts.get(c).used();
            Collections.shuffle(ofClass, random);
            if (folds > 1) {
                for (int i = 0; i < use; i++) {
                    foldIdx.get(i % folds).add(ofClass.get(i));
                }
            } else {
                int held = counts.get(c).held();
                validationIdx.addAll(ofClass.subList(0, held));
                trainIdx.addAll(ofClass.subList(held, use));
            }
        }
        MessageDigest digest = sha256();
        Encoder encoder = new Encoder(spec, channels, digest);
        List<Split> splits = new ArrayList<>();
        if (folds > 1) {
            List<DataSet> encoded = new ArrayList<>();
            for (List<Integer> fold : foldIdx) {
                encoded.add(encoder.encode(all, fold));
            }
            for (int f = 0; f < folds; f++) {
                List<DataSet> rest = new ArrayList<>();
                for (int g = 0; g < folds; g++) {
                    if (g != f) {
                        rest.add(encoded.get(g));
                    }
                }
                DataSet train = DataSet.merge(rest);
                splits.add(new Split(train, encoded.get(f), foldIdx.get(f).stream().map(all::id).toList()));
            }
        } else {
            Collections.shuffle(trainIdx, random);
            DataSet train = encoder.encode(all, trainIdx);
            DataSet validation = encoder.encode(all, validationIdx);
            splits.add(new Split(train, validation, validationIdx.stream().map(all::id).toList()));
        }
        Optional<DataSet> test = Optional.empty();
        if (testImages.isPresent()) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < testImages.get().size(); i++) {
                idx.add(i);
            }
            test = Optional.of(encoder.encode(testImages.get(), idx));
        }
        String fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        double valueRange = switch (spec.preprocess()) {
            case UNIT -> 1;
            case SIGNED -> 2;
            case IMAGENET -> 255;
        };
        return new TargetData(splits, test, fingerprint, spec.classes().size(), false, valueRange);
    }

    /** One split, or the k folds' splits with k-fold cross-validation. */
    public List<Split> splits() {
        return splits;
    }

    /** The (first) split's training images. */
    public DataSet train() {
        return splits.get(0).train();
    }

    /** The (first) split's validation images. */
    public DataSet validation() {
        return splits.get(0).validation();
    }

    public Optional<DataSet> test() {
        return test;
    }

    public int classes() {
        return classes;
    }

    /** True when features are [n, h, w, c] (a channels-last model's), not [n, c, h, w]. */
    public boolean channelsLast() {
        return channelsLast;
    }

    /** The span of input values: 1 for [0, 1], 2 for [-1, 1], 255 for mean-subtracted pixels. */
    public double valueRange() {
        return valueRange;
    }

    /** Where each validation image comes from (file path, or file and index), in the order of {@link #validation()}. */
    List<String> validationIds() {
        return splits.get(0).validationIds();
    }

    /** A hash of exactly the images and labels the trials see (train, validation, test), for provenance. */
    public String fingerprint() {
        return fingerprint;
    }

    public int trainSize() {
        return train().numExamples();
    }

    public int validationSize() {
        return validation().numExamples();
    }

    /** How many splits trials train on: k with k-fold cross-validation, else 1. */
    public int folds() {
        return splits.size();
    }

    /** Turns chosen images into features and one-hot labels, hashing exactly what it reads. */
    private record Encoder(DataSpec spec, int channels, MessageDigest digest) {
        DataSet encode(ImageSet images, List<Integer> idx) throws IOException {
            int size = spec.imageSize();
            int plane = size * size;
            int k = spec.classes().size();
            float[] features = new float[idx.size() * channels * plane];
            float[] labels = new float[idx.size() * k];
            ByteBuffer label = ByteBuffer.allocate(4);
            boolean imagenet = spec.preprocess() == Preprocess.IMAGENET;
            for (int n = 0; n < idx.size(); n++) {
                int i = idx.get(n);
                RawImage raw = images.pixels(i);
                digest.update(raw.pixels());
                digest.update(label.clear().putInt(images.label(i)).array());
                RawImage image = raw.withChannels(channels);
                int rgbPlane = image.rows() * image.cols();
                for (int c = 0; c < channels; c++) {
                    // ImageNet weights take BGR: output channel c is input channel 2 - c
                    int from = imagenet ? 2 - c : c;
                    Resize.Scale scale = switch (spec.preprocess()) {
                        case IMAGENET -> Resize.Scale.minus(IMAGENET_MEAN_BGR[c]);
                        case SIGNED -> Resize.Scale.SIGNED;
                        case UNIT -> Resize.Scale.UNIT;
                    };
                    Resize.bilinear(image.pixels(), from * rgbPlane, image.rows(), image.cols(), size, scale, features,
                            (n * channels + c) * plane);
                }
                labels[n * k + spec.classes().indexOf(images.label(i))] = 1f;
            }
            INDArray f = Nd4j.create(features, new long[]{idx.size(), channels, size, size});
            INDArray l = Nd4j.create(labels, new long[]{idx.size(), k});
            return new DataSet(f, l);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
