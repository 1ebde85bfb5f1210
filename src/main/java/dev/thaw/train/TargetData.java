package dev.thaw.train;

import dev.thaw.study.DataSpec;
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

/**
 * A study's target data, read once and shared by its trials: a seeded, stratified train/validation split of
 * {@code per_class} images of each class, and the official test split when given. Labels are re-numbered
 * 0..k-1 in the order of {@code data.classes}; features are NCHW [n, 1, size, size] scaled to [0, 1].
 */
public final class TargetData {
    private final DataSet train;
    private final DataSet validation;
    private final Optional<DataSet> test;
    private final String fingerprint;
    private final int classes;

    private TargetData(DataSet train, DataSet validation, Optional<DataSet> test, String fingerprint, int classes) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.fingerprint = fingerprint;
        this.classes = classes;
    }

    /** Reads and splits the data; the same spec and seed always give the same split. */
    public static TargetData load(DataSpec spec, long seed) throws IOException {
        IdxImages all = IdxImages.read(spec.trainImages(), spec.trainLabels(), new HashSet<>(spec.classes()));
        Random random = new Random(seed);
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> validationIdx = new ArrayList<>();
        int perClassValidation = Math.max(1, (int) Math.round(spec.perClass() * spec.validationFraction()));
        if (perClassValidation >= spec.perClass()) {
            throw new IOException("data.per_class " + spec.perClass() + " with validation_fraction "
                    + spec.validationFraction() + " leaves no training images; raise per_class");
        }
        for (int cls : spec.classes()) {
            List<Integer> ofClass = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.labels()[i] == cls) {
                    ofClass.add(i);
                }
            }
            if (ofClass.size() < spec.perClass()) {
                throw new IOException("data.per_class: class " + cls + " has only " + ofClass.size() + " images in "
                        + spec.trainImages() + ", " + spec.perClass() + " asked; lower per_class");
            }
            Collections.shuffle(ofClass, random);
            validationIdx.addAll(ofClass.subList(0, perClassValidation));
            trainIdx.addAll(ofClass.subList(perClassValidation, spec.perClass()));
        }
        Collections.shuffle(trainIdx, random);
        MessageDigest digest = sha256();
        DataSet train = toDataSet(all, trainIdx, spec, digest);
        DataSet validation = toDataSet(all, validationIdx, spec, digest);
        Optional<DataSet> test = Optional.empty();
        if (spec.hasTest()) {
            IdxImages testImages = IdxImages.read(spec.testImages().get(), spec.testLabels().get(),
                    new HashSet<>(spec.classes()));
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < testImages.size(); i++) {
                idx.add(i);
            }
            test = Optional.of(toDataSet(testImages, idx, spec, digest));
        }
        String fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        return new TargetData(train, validation, test, fingerprint, spec.classes().size());
    }

    DataSet train() {
        return train;
    }

    DataSet validation() {
        return validation;
    }

    Optional<DataSet> test() {
        return test;
    }

    int classes() {
        return classes;
    }

    /** A hash of exactly the images and labels the trials see (train, validation, test), for provenance. */
    public String fingerprint() {
        return fingerprint;
    }

    public int trainSize() {
        return train.numExamples();
    }

    public int validationSize() {
        return validation.numExamples();
    }

    private static DataSet toDataSet(IdxImages images, List<Integer> idx, DataSpec spec, MessageDigest digest) {
        int size = spec.imageSize();
        float[] features = new float[idx.size() * size * size];
        float[] labels = new float[idx.size() * spec.classes().size()];
        ByteBuffer label = ByteBuffer.allocate(4);
        for (int n = 0; n < idx.size(); n++) {
            int i = idx.get(n);
            byte[] px = images.pixels()[i];
            digest.update(px);
            digest.update(label.clear().putInt(images.labels()[i]).array());
            Resize.bilinear(px, images.rows(), images.cols(), size, features, n * size * size);
            labels[n * spec.classes().size() + spec.classes().indexOf(images.labels()[i])] = 1f;
        }
        INDArray f = Nd4j.create(features, new long[]{idx.size(), 1, size, size});
        INDArray l = Nd4j.create(labels, new long[]{idx.size(), spec.classes().size()});
        return new DataSet(f, l);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
