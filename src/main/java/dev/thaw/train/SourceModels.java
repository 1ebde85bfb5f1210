package dev.thaw.train;

import dev.thaw.study.ModelSpec;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.io.IOException;
import java.util.OptionalInt;

/** Opens a study's pretrained source model, whatever {@code model.source} says it is. */
final class SourceModels {
    private SourceModels() {
    }

    static Network load(ModelSpec model) throws IOException {
        return Network.load(model.path());
    }

    /** The input channels of the network's first convolution, if it starts with one. */
    static OptionalInt inputChannels(Network net) {
        if (net.isGraph()) {
            GraphVertex[] vertices = net.graph().getVertices();
            for (int i : net.graph().topologicalSortOrder()) {
                if (vertices[i].hasLayer()) {
                    return channelsOf(vertices[i].getLayer().conf().getLayer());
                }
            }
            return OptionalInt.empty();
        }
        return net.layers().getnLayers() == 0 ? OptionalInt.empty()
                : channelsOf(net.layers().getLayer(0).conf().getLayer());
    }

    private static OptionalInt channelsOf(Layer first) {
        return first instanceof ConvolutionLayer conv ? OptionalInt.of((int) conv.getNIn()) : OptionalInt.empty();
    }
}
