package dev.thaw.train.data;

/** Bilinear resizing of one image plane (0..255 bytes) to a square of floats, scaled as the study asks. */
final class Resize {
    private Resize() {
    }

    /** How a 0..255 pixel value becomes an input value. */
    interface Scale {
        /** Scaled to [0, 1]. */
        Scale UNIT = new Scale() {
            @Override
            public float exact(int v) {
                return v / 255f;
            }

            @Override
            public float of(double v) {
                return (float) (v / 255.0);
            }
        };

        /** Scaled to [-1, 1]. */
        Scale SIGNED = new Scale() {
            @Override
            public float exact(int v) {
                return (float) (v / 127.5 - 1);
            }

            @Override
            public float of(double v) {
                return (float) (v / 127.5 - 1);
            }
        };

        /** Less a channel mean, staying on the 0..255 scale. */
        static Scale minus(double mean) {
            return new Scale() {
                @Override
                public float exact(int v) {
                    return (float) (v - mean);
                }

                @Override
                public float of(double v) {
                    return (float) (v - mean);
                }
            };
        }

        /** A pixel copied without resizing. */
        float exact(int v);

        /** A pixel interpolated between four. */
        float of(double v);
    }

    /** The plane of {@code rows} x {@code cols} bytes at {@code srcOffset} of {@code src}, to {@code size} x {@code size}. */
    static void bilinear(byte[] src, int srcOffset, int rows, int cols, int size, Scale scale, float[] out, int offset) {
        if (rows == size && cols == size) {
            for (int i = 0; i < size * size; i++) {
                out[offset + i] = scale.exact(src[srcOffset + i] & 0xff);
            }
            return;
        }
        double sy = (double) rows / size;
        double sx = (double) cols / size;
        for (int y = 0; y < size; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, rows - 1);
            int y1 = Math.min(y0 + 1, rows - 1);
            double wy = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, cols - 1);
                int x1 = Math.min(x0 + 1, cols - 1);
                double wx = fx - x0;
                double top = px(src, srcOffset, y0, x0, cols) * (1 - wx) + px(src, srcOffset, y0, x1, cols) * wx;
                double bottom = px(src, srcOffset, y1, x0, cols) * (1 - wx) + px(src, srcOffset, y1, x1, cols) * wx;
                out[offset + y * size + x] = scale.of(top * (1 - wy) + bottom * wy);
            }
        }
    }

    private static int px(byte[] src, int srcOffset, int y, int x, int cols) {
        return src[srcOffset + y * cols + x] & 0xff;
    }
}
