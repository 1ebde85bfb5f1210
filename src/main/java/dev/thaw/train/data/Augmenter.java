package dev.thaw.train.data;

import dev.thaw.study.Augmentation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Applies a trial's {@link Augmentation} to training examples, one epoch at a time. Each image gets its own random
 * flip, rotation, zoom and brightness shift, drawn from a generator seeded by the study seed and the epoch, so the
 * same study, seed and epoch always give the same images. Geometry is one inverse affine map about the image centre
 * with bilinear sampling; points that fall outside take the nearest border pixel.
 */
public final class Augmenter {
    private final Augmentation settings;
    private final boolean channelsLast;
    private final double valueRange;
    private final long seed;

    /**
     * @param channelsLast features are [n, h, w, c] (channels-last models) rather than [n, c, h, w]
     * @param valueRange   the span of input values (1 for [0, 1], 2 for [-1, 1], 255 for mean-subtracted pixels):
     *                     brightness shifts are a share of it
     */
    public Augmenter(Augmentation settings, boolean channelsLast, double valueRange, long seed) {
        this.settings = settings;
        this.channelsLast = channelsLast;
        this.valueRange = valueRange;
        this.seed = seed;
    }

    public boolean active() {
        return settings.any();
    }

    /** New examples: each of {@code examples} (one image each, in this order) changed as epoch {@code epoch} draws. */
    public List<DataSet> epoch(List<DataSet> examples, int epoch) {
        Random random = new Random(seed * 1_000_003L + epoch);
        List<DataSet> out = new ArrayList<>(examples.size());
        for (DataSet example : examples) {
            out.add(new DataSet(augment(example.getFeatures(), random), example.getLabels()));
        }
        return out;
    }

    /** One image, [1, c, h, w] or [1, h, w, c]. */
    INDArray augment(INDArray features, Random random) {
        long[] shape = features.shape();
        int c = (int) (channelsLast ? shape[3] : shape[1]);
        int h = (int) (channelsLast ? shape[1] : shape[2]);
        int w = (int) (channelsLast ? shape[2] : shape[3]);
        boolean flip = random.nextDouble() < settings.flip();
        double angle = Math.toRadians((2 * random.nextDouble() - 1) * settings.rotation());
        double scale = 1 + (2 * random.nextDouble() - 1) * settings.zoom();
        double shift = (2 * random.nextDouble() - 1) * settings.brightness() * valueRange;
        float[] in = features.dup('c').data().asFloat();
        float[] out = new float[in.length];
        double cos = Math.cos(angle) / scale;
        double sin = Math.sin(angle) / scale;
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (flip ? -(x - cx) : x - cx);
                double dy = y - cy;
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                for (int ch = 0; ch < c; ch++) {
                    out[index(ch, y, x, c, h, w)] = (float) (sample(in, ch, sy, sx, c, h, w) + shift);
                }
            }
        }
        return Nd4j.create(out, shape, 'c');
    }

    private double sample(float[] in, int ch, double y, double x, int c, int h, int w) {
        double cyd = Math.min(Math.max(y, 0), h - 1);
        double cxd = Math.min(Math.max(x, 0), w - 1);
        int y0 = (int) Math.floor(cyd);
        int x0 = (int) Math.floor(cxd);
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double wy = cyd - y0;
        double wx = cxd - x0;
        double top = in[index(ch, y0, x0, c, h, w)] * (1 - wx) + in[index(ch, y0, x1, c, h, w)] * wx;
        double bottom = in[index(ch, y1, x0, c, h, w)] * (1 - wx) + in[index(ch, y1, x1, c, h, w)] * wx;
        return top * (1 - wy) + bottom * wy;
    }

    private int index(int ch, int y, int x, int c, int h, int w) {
        return channelsLast ? (y * w + x) * c + ch : (ch * h + y) * w + x;
    }
}
