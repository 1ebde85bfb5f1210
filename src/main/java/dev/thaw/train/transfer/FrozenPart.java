package dev.thaw.train.transfer;

import dev.thaw.train.source.Network;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A trial network cut at its freeze boundary. The <em>frozen part</em> is every frozen layer together with the
 * parameterless layers and vertices computed from frozen ones alone (pooling, activation, a residual addition, a merge;
 * none with dropout): DL4J runs frozen layers in inference mode ({@code FrozenLayer} passes {@code training = false}),
 * so its outputs depend on the image alone, the same in every epoch and in every trial with the same source model and
 * boundary. The <em>upper network</em> is the rest, a network of its own whose inputs are the tensors crossing the
 * boundary — one for a layer stack; for a graph as many as the frozen part has outputs feeding the rest (a residual
 * connection can make two).
 *
 * <p>Training the upper network on the frozen part's outputs computes what training the whole network computes (the
 * frozen layers get no gradient, add nothing to the score and have no updater state), up to float rounding: the frozen
 * part's outputs are computed once, in other batches than the trial's. {@link #upper()} and {@link #write} carry
 * parameters, updater state and the epoch and iteration counts across, so a trial can switch between the two at any
 * epoch. A network whose updater state could not be carried over exactly (its trained layers ordered, or their updater
 * state grouped, differently in the two networks) is not cut: {@link #of} answers empty, and the trial trains the
 * whole network.
 */
public final class FrozenPart {
    private final Network full;
    /** A layer stack: the index of the frozen part's top layer. */
    private final int top;
    /** A graph: the tensors crossing the boundary (vertex names, sorted), the upper network's inputs in that order. */
    private final List<String> boundary;
    private final Set<String> frozen;

    private FrozenPart(Network full, int top, List<String> boundary, Set<String> frozen) {
        this.full = full;
        this.top = top;
        this.boundary = List.copyOf(boundary);
        this.frozen = Set.copyOf(frozen);
    }

    /** The frozen part of {@code net}, or empty when nothing in it is frozen (or it cannot be cut exactly). */
    public static Optional<FrozenPart> of(Network net) {
        Optional<FrozenPart> part = net.isGraph() ? graph(net) : layers(net);
        return part.filter(FrozenPart::carriesUpdaterState);
    }

    /**
     * The tensors crossing the boundary, for keys and for people: a layer stack's top frozen layer as
     * {@code layer N (its name)}, a graph's vertex names.
     */
    public List<String> boundary() {
        return boundary;
    }

    /** How many tensors cross the boundary: the upper network's inputs. */
    public int tensors() {
        return boundary.size();
    }

    /**
     * Whether the frozen part is {@code source}'s own: every frozen layer (and vertex) with parameters holds exactly the
     * values of the layer at the same index (a layer stack) or of the same name (a graph) in {@code source}. A trial
     * network built from the source is; one read back from a checkpoint is not when the source model's file was
     * replaced since the checkpoint was written, and then its frozen outputs are not those keyed by the source's
     * fingerprint.
     */
    public boolean frozenFrom(Network source) {
        if (source.isGraph() != full.isGraph()) {
            return false;
        }
        if (!full.isGraph()) {
            MultiLayerNetwork own = full.layers();
            MultiLayerNetwork theirs = source.layers();
            for (int i = 0; i <= top; i++) {
                if (own.getLayer(i).numParams() > 0 && (i >= theirs.getnLayers()
                        || !same(own.getLayer(i).params(), theirs.getLayer(i).params()))) {
                    return false;
                }
            }
            return true;
        }
        for (String name : frozen) {
            GraphVertex own = full.graph().getVertex(name);
            if (own.numParams() > 0) {
                GraphVertex theirs = source.graph().getVertex(name);
                if (theirs == null || !same(own.params(), theirs.params())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Exactly equal values of the same shape and type (ND4J's comparison with a tolerance of 0). */
    private static boolean same(INDArray a, INDArray b) {
        return b != null && a.dataType() == b.dataType() && java.util.Arrays.equals(a.shape(), b.shape())
                && a.equalsWithEps(b, 0.0);
    }

    /**
     * The frozen part's outputs for a batch of images, in inference mode.
     *
     * @param features images as the whole network takes them, [n, c, h, w] (or [n, h, w, c])
     * @return one array per boundary tensor, each [n, ...], detached from any workspace
     */
    public INDArray[] outputs(INDArray features) {
        if (!full.isGraph()) {
            List<INDArray> acts = full.layers().feedForwardToLayer(top, features, false);
            return new INDArray[]{acts.get(top + 1).dup()};
        }
        // by vertex name: DL4J's feedForward(inputs, n, train) stops at the n-th *layer*, not the n-th vertex (ResNet50's
        // last frozen vertex is number 174 of a graph with 159 layers); output(names, ...) computes up to the last of
        // the named vertices and hands their activations out of its workspaces
        return full.graph().output(boundary, false, new INDArray[]{features}, null);
    }

    /**
     * The upper network with the whole network's current parameters of its layers, its updater state and its epoch and
     * iteration counts (so an epoch-based learning-rate schedule and Adam's step count go on where they were).
     */
    public Network upper() {
        Network upper = full.isGraph() ? new Network(upperGraph()) : new Network(upperLayers());
        copy(full, upper, false);
        return upper;
    }

    /** Writes {@code upper}'s parameters, updater state and counts (as {@link #upper()} made it) into the whole network. */
    public void write(Network upper, Network into) {
        copy(upper, into, true);
    }

    private void copy(Network from, Network to, boolean intoFull) {
        if (full.isGraph()) {
            ComputationGraph a = from.graph();
            ComputationGraph b = to.graph();
            for (String name : trainedLayers(intoFull ? a : b)) {
                b.getLayer(name).setParams(a.getLayer(name).params());
            }
        } else {
            INDArray params = from.params();
            long frozenParams = frozenParams();
            INDArray source = intoFull ? params : params.get(NDArrayIndex.interval(frozenParams, params.length()));
            if (intoFull) {
                INDArray all = to.params().dup();
                all.get(NDArrayIndex.interval(frozenParams, all.length())).assign(source);
                to.setParams(all);
            } else {
                to.setParams(source);
            }
        }
        INDArray fromState = updaterState(from);
        INDArray toState = updaterState(to);
        if (fromState != null && toState != null) {
            toState.assign(fromState);
        }
        to.setEpochCount(from.epochCount());
        to.setIterationCount(from.iterationCount());
    }

    private static INDArray updaterState(Network net) {
        return net.isGraph() ? net.graph().getUpdater(true).getStateViewArray()
                : net.layers().getUpdater(true).getStateViewArray();
    }

    private long frozenParams() {
        long n = 0;
        for (int i = 0; i <= top; i++) {
            n += full.layers().getLayer(i).numParams();
        }
        return n;
    }

    /**
     * Whether the updater state can be copied as one flat array: the trained layers come in the same order with the
     * same sizes in both networks, and their parameters fall into the same updater blocks. DL4J lays the state out by
     * block, in topological order, and keeps a block's state as whole arrays over all its parameters (Adam: every m,
     * then every v); consecutive parameters with the same updater share a block, and a frozen layer between two trained
     * ones splits it. So a graph whose topological order puts a frozen layer between trained ones (a frozen branch
     * beside a trained one) groups its state otherwise than its upper network, where that layer is gone. A layer stack's
     * frozen layers all come first, so its trained ones group alike.
     */
    private boolean carriesUpdaterState() {
        if (!full.isGraph()) {
            return true;
        }
        ComputationGraph upper = upperGraph();
        return trainedOrder(full.graph()).equals(trainedOrder(upper))
                && stateBlocks(full.graph()).equals(stateBlocks(upper));
    }

    /** The parameters ({@code layer/param}) of each updater block that holds state, block by block. */
    private static List<List<String>> stateBlocks(ComputationGraph g) {
        List<List<String>> out = new ArrayList<>();
        for (UpdaterBlock block : g.getUpdater(true).getUpdaterBlocks()) {
            if (block.getUpdaterViewOffsetEnd() > block.getUpdaterViewOffsetStart()) {
                out.add(block.getLayersAndVariablesInBlock().stream()
                        .map(p -> p.getLayer().getConfig().getLayerName() + "/" + p.getParamName()).toList());
            }
        }
        return out;
    }

    private static List<String> trainedOrder(ComputationGraph g) {
        List<String> out = new ArrayList<>();
        GraphVertex[] vertices = g.getVertices();
        for (int i : g.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (v.hasLayer() && !(v.getLayer() instanceof FrozenLayer) && v.getLayer().numParams() > 0) {
                out.add(v.getVertexName() + ":" + v.getLayer().numParams());
            }
        }
        return out;
    }

    private List<String> trainedLayers(ComputationGraph upper) {
        List<String> out = new ArrayList<>();
        for (GraphVertex v : upper.getVertices()) {
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                out.add(v.getVertexName());
            }
        }
        return out;
    }

    private static Optional<FrozenPart> layers(Network net) {
        MultiLayerNetwork m = net.layers();
        int top = -1;
        boolean anyFrozen = false;
        for (int i = 0; i < m.getnLayers(); i++) {
            org.deeplearning4j.nn.api.Layer layer = m.getLayer(i);
            if (layer instanceof FrozenLayer) {
                anyFrozen = true;
            } else if (!sameInEveryPass(layer)) {
                break;
            }
            top = i;
        }
        if (!anyFrozen || top >= m.getnLayers() - 1) {
            return Optional.empty();
        }
        String name = m.getLayer(top).conf().getLayer().getLayerName();
        return Optional.of(new FrozenPart(net, top, List.of("layer " + top + (name == null ? "" : " (" + name + ")")),
                Set.of()));
    }

    private static Optional<FrozenPart> graph(Network net) {
        ComputationGraph g = net.graph();
        GraphVertex[] vertices = g.getVertices();
        Set<String> frozen = new HashSet<>();
        boolean anyFrozen = false;
        for (int i : g.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                frozen.add(v.getVertexName());
                continue;
            }
            boolean fromFrozen = true;
            for (VertexIndices in : v.getInputVertices()) {
                fromFrozen &= frozen.contains(vertices[in.getVertexIndex()].getVertexName());
            }
            if (!fromFrozen) {
                continue;
            }
            boolean isFrozen = v instanceof FrozenVertex || v.hasLayer() && v.getLayer() instanceof FrozenLayer;
            if (isFrozen || (v.hasLayer() ? sameInEveryPass(v.getLayer()) : v.numParams() == 0)) {
                frozen.add(v.getVertexName());
                anyFrozen |= isFrozen;
            }
        }
        Set<String> crossing = new TreeSet<>();
        for (GraphVertex v : vertices) {
            if (frozen.contains(v.getVertexName())) {
                continue;
            }
            for (VertexIndices in : v.getInputVertices()) {
                String name = vertices[in.getVertexIndex()].getVertexName();
                if (frozen.contains(name)) {
                    crossing.add(name);
                }
            }
        }
        boolean inputOnly = g.getConfiguration().getNetworkInputs().containsAll(crossing);
        if (!anyFrozen || crossing.isEmpty() || inputOnly || readInPlace(g, crossing)) {
            return Optional.empty();
        }
        return Optional.of(new FrozenPart(net, -1, List.copyOf(crossing), frozen));
    }

    /**
     * Whether an activation layer takes one of the crossing tensors: in inference mode DL4J M2.1's ActivationLayer
     * overwrites its input, so that tensor would not be the same for its other readers, nor in the feed-forward map the
     * cache reads it from. Such a network is not cut.
     */
    private static boolean readInPlace(ComputationGraph g, Set<String> crossing) {
        GraphVertex[] vertices = g.getVertices();
        for (GraphVertex v : vertices) {
            if (v.hasLayer() && unwrapped(v.getLayer()).conf().getLayer() instanceof ActivationLayer) {
                for (VertexIndices in : v.getInputVertices()) {
                    if (crossing.contains(vertices[in.getVertexIndex()].getVertexName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static org.deeplearning4j.nn.api.Layer unwrapped(org.deeplearning4j.nn.api.Layer layer) {
        return layer instanceof FrozenLayer frozen ? frozen.getInsideLayer() : layer;
    }

    /** A parameterless layer that computes the same in training as in inference (no dropout, nothing random). */
    private static boolean sameInEveryPass(org.deeplearning4j.nn.api.Layer layer) {
        Layer conf = layer.conf().getLayer();
        return layer.numParams() == 0 && conf.getIDropout() == null
                && (conf instanceof SubsamplingLayer || conf instanceof GlobalPoolingLayer
                || conf instanceof ActivationLayer);
    }

    private MultiLayerNetwork upperLayers() {
        MultiLayerNetwork m = full.layers();
        MultiLayerConfiguration c = m.getLayerWiseConfigurations();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        for (int i = top + 1; i < m.getnLayers(); i++) {
            confs.add(c.getConf(i).clone());
            InputPreProcessor p = c.getInputPreProcess(i);
            if (p != null) {
                pre.put(i - top - 1, p.clone());
            }
        }
        MultiLayerConfiguration upper = new MultiLayerConfiguration.Builder().confs(confs).inputPreProcessors(pre)
                .backpropType(c.getBackpropType()).dataType(c.getDataType())
                .trainingWorkspaceMode(c.getTrainingWorkspaceMode())
                .inferenceWorkspaceMode(c.getInferenceWorkspaceMode()).cacheMode(c.getCacheMode()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(upper);
        net.init();
        return net;
    }

    private ComputationGraph upperGraph() {
        ComputationGraphConfiguration c = full.graph().getConfiguration().clone();
        c.getVertices().keySet().removeAll(frozen);
        c.getVertexInputs().keySet().removeAll(frozen);
        c.setNetworkInputs(new ArrayList<>(boundary));
        c.setTopologicalOrder(null);
        c.setTopologicalOrderStr(null);
        c.setIterationCount(0);
        c.setEpochCount(0);
        ComputationGraph net = new ComputationGraph(c);
        net.init();
        return net;
    }
}
