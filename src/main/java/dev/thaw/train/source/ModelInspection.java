package dev.thaw.train.source;

import dev.thaw.train.data.ModelInput;

import dev.thaw.study.ModelSpec;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.io.IOException;
import java.util.List;

/**
 * What Thaw sees in a source model: the classifier it replaces and the backbone's blocks, the units of
 * {@code unfreeze_depth}, bottom to top. Block i of n (from 1 at the bottom) is frozen at depths 0..n-i and thawed
 * from depth n-i+1 on.
 */
public record ModelInspection(String model, String kind, long params, int channels, List<String> classifier,
                              long classifierParams, List<Block> blocks) {

    /** One block: its name, its parameterised layers, their parameters, and the smallest depth that thaws it. */
    public record Block(String name, List<String> layers, long params, int thawedFromDepth) {
    }

    /** Loads the model as a study would (zoo models at {@code imageSize}) and describes it. */
    public static ModelInspection of(ModelSpec spec, int imageSize, long seed) throws IOException {
        Network net = SourceModels.load(spec, imageSize, seed);
        Backbone backbone = Backbone.of(net);
        List<Backbone.Block> blocks = backbone.blocks();
        List<Block> views = new java.util.ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Backbone.Block b = blocks.get(i);
            views.add(new Block(b.name(), b.layerNames(), b.params(), blocks.size() - i));
        }
        List<String> classifier = new java.util.ArrayList<>(backbone.classifier().stream().map(i -> layerName(net, i)).toList());
        java.util.Collections.reverse(classifier);
        long classifierParams = backbone.classifier().stream().mapToLong(i -> layerParams(net, i)).sum();
        return new ModelInspection(spec.describe(), net.isGraph() ? "ComputationGraph" : "MultiLayerNetwork",
                net.model().numParams(), SourceModels.input(net).map(ModelInput::channels).orElse(0), List.copyOf(classifier), classifierParams,
                List.copyOf(views));
    }

    private static String layerName(Network net, int index) {
        if (net.isGraph()) {
            GraphVertex v = net.graph().getVertices()[index];
            return v.getVertexName();
        }
        return Backbone.layerName(net.layers(), index);
    }

    private static long layerParams(Network net, int index) {
        return net.isGraph() ? net.graph().getVertices()[index].numParams() : net.layers().getLayer(index).numParams();
    }
}
