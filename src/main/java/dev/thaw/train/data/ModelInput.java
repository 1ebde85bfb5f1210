package dev.thaw.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The images a source model takes: its input channels, and their place — DL4J's own models take NCHW (channels
 * first), Keras models saved with {@code channels_last} take NHWC.
 */
public record ModelInput(int channels, boolean channelsLast) {
    /** NCHW features as this model takes them. */
    public INDArray arrange(INDArray nchw) {
        return channelsLast ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }
}
