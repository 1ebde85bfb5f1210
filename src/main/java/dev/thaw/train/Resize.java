package dev.thaw.train;

/** Bilinear resizing of one grayscale image to a square, scaling 0..255 bytes to [0, 1] floats. */
final class Resize {
    private Resize() {
    }

    static void bilinear(byte[] src, int rows, int cols, int size, float[] out, int offset) {
        if (rows == size && cols == size) {
            for (int i = 0; i < src.length; i++) {
                out[offset + i] = (src[i] & 0xff) / 255f;
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
                double top = px(src, y0, x0, cols) * (1 - wx) + px(src, y0, x1, cols) * wx;
                double bottom = px(src, y1, x0, cols) * (1 - wx) + px(src, y1, x1, cols) * wx;
                out[offset + y * size + x] = (float) ((top * (1 - wy) + bottom * wy) / 255.0);
            }
        }
    }

    private static int px(byte[] src, int y, int x, int cols) {
        return src[y * cols + x] & 0xff;
    }
}
