package dev.thaw.study;

/** How pixels become a network's inputs, after resizing. */
public enum Preprocess {
    /** Channels in RGB order, each pixel scaled from 0..255 to [0, 1]. */
    UNIT,
    /**
     * What DL4J's ImageNet zoo weights (VGG16, VGG19, ResNet50) were trained on: channels in BGR order, 0..255 less
     * the ImageNet mean of each channel (103.939, 116.779, 123.68), as DL4J's NativeImageLoader with its
     * VGG16ImagePreProcessor gives them.
     */
    IMAGENET,
    /** Channels in RGB order, scaled from 0..255 to [-1, 1] (Keras' "tf" mode, which Xception's weights expect). */
    SIGNED;

    public String key() {
        return Keys.of(this);
    }
}
