package dev.thaw.train.source;


import dev.thaw.train.data.TensorHash;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** One DL4J network, a {@link MultiLayerNetwork} or a {@link ComputationGraph}, behind the calls a trial needs. */
public final class Network {
    private final MultiLayerNetwork layers;
    private final ComputationGraph graph;

    public Network(MultiLayerNetwork layers) {
        this.layers = layers;
        this.graph = null;
    }

    public Network(ComputationGraph graph) {
        this.layers = null;
        this.graph = graph;
    }

    /**
     * Loads a ModelSerializer zip, whichever of the two kinds it holds, with its updater state when it has one; its
     * configuration brings the epoch and iteration counts the learning-rate schedule and the updater read.
     */
    public static Network load(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("model file not found: " + zip);
        }
        if (isGraph(zip)) {
            return new Network(ModelSerializer.restoreComputationGraph(zip.toFile(), true));
        }
        return new Network(ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true));
    }

    private static boolean isGraph(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry conf = file.getEntry("configuration.json");
            if (conf == null) {
                throw new IOException(zip + " is not a DL4J model zip (no configuration.json); save it with "
                        + "ModelSerializer.writeModel");
            }
            try (InputStream in = file.getInputStream(conf)) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return json.contains("\"vertices\"");
            }
        }
    }

    public boolean isGraph() {
        return graph != null;
    }

    public MultiLayerNetwork layers() {
        return layers;
    }

    public ComputationGraph graph() {
        return graph;
    }

    public Model model() {
        return isGraph() ? graph : layers;
    }

    public void fit(DataSetIterator data) {
        if (isGraph()) {
            graph.fit(data);
        } else {
            layers.fit(data);
        }
    }

    /** Mean loss on {@code data} (without regularisation terms), in inference mode. */
    public double loss(DataSet data) {
        return isGraph() ? graph.score(data, false) : layers.score(data, false);
    }

    /** The network's output for {@code features}, in inference mode. */
    public INDArray output(INDArray features) {
        return isGraph() ? graph.outputSingle(false, features) : layers.output(features, false);
    }

    public Evaluation evaluate(DataSetIterator data) {
        return isGraph() ? graph.evaluate(data) : layers.evaluate(data);
    }

    public void setListeners(TrainingListener... listeners) {
        model().setListeners(listeners);
    }

    public long numParams() {
        return model().numParams();
    }

    /** Every parameter, flattened in layer order (frozen layers' too). */
    public INDArray params() {
        return model().params();
    }

    /** Copies {@code params} (laid out as {@link #params()} of a network of the same layers) into this one. */
    public void setParams(INDArray params) {
        model().setParams(params);
    }

    /** Sets the epochs this network counts as done (epoch-based learning-rate schedules read it). */
    public void setEpochCount(int epochs) {
        if (isGraph()) {
            graph.getConfiguration().setEpochCount(epochs);
        } else {
            layers.setEpochCount(epochs);
        }
    }

    /** The epochs this network counts as done (DL4J counts one per fit over an iterator; saved with the model). */
    public int epochCount() {
        return isGraph() ? graph.getConfiguration().getEpochCount()
                : layers.getLayerWiseConfigurations().getEpochCount();
    }

    /** The minibatch steps this network counts as done (the updater's step, as Adam's bias correction reads it). */
    public int iterationCount() {
        return isGraph() ? graph.getConfiguration().getIterationCount()
                : layers.getLayerWiseConfigurations().getIterationCount();
    }

    /** Sets the minibatch steps this network counts as done. */
    public void setIterationCount(int iterations) {
        if (isGraph()) {
            graph.getConfiguration().setIterationCount(iterations);
        } else {
            layers.setIterationCount(iterations);
        }
    }

    /** SHA-256 over the configuration's JSON and the parameters' float values ({@link TensorHash}). */
    public String fingerprint() {
        String conf = isGraph() ? graph.getConfiguration().toJson() : layers.getLayerWiseConfigurations().toJson();
        return new TensorHash().text(conf).tensor(params()).digest();
    }

    /** The same architecture with fresh weights, drawn from its own configuration's seed and weight initialisation. */
    public Network reinitialized() {
        if (isGraph()) {
            ComputationGraph fresh = new ComputationGraph(graph.getConfiguration().clone());
            fresh.init();
            return new Network(fresh);
        }
        MultiLayerNetwork fresh = new MultiLayerNetwork(layers.getLayerWiseConfigurations().clone());
        fresh.init();
        return new Network(fresh);
    }

    /** A deep copy: configuration, parameters and updater state (DL4J's clone). */
    public Network copy() {
        return isGraph() ? new Network(graph.clone()) : new Network(layers.clone());
    }

    /** Writes a ModelSerializer zip: configuration (with epoch and iteration counts), parameters and updater state. */
    public void save(Path zip) throws IOException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        ModelSerializer.writeModel(model(), zip.toFile(), true);
    }
}
