package dev.thaw.train.data;

/** One decoded image: 0..255 bytes, channel by channel (CHW), 1 channel (gray) or 3 (RGB). */
record RawImage(byte[] pixels, int channels, int rows, int cols) {
    RawImage {
        if (pixels.length != channels * rows * cols) {
            throw new IllegalArgumentException(pixels.length + " bytes for " + channels + "x" + rows + "x" + cols);
        }
    }

    /** The same image with {@code wanted} channels: gray copied to R, G and B, or RGB to luma (ITU-R 601). */
    RawImage withChannels(int wanted) {
        if (wanted == channels) {
            return this;
        }
        int plane = rows * cols;
        byte[] out = new byte[wanted * plane];
        if (channels == 1 && wanted == 3) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(pixels, 0, out, c * plane, plane);
            }
        } else if (channels == 3 && wanted == 1) {
            for (int i = 0; i < plane; i++) {
                double luma = 0.299 * (pixels[i] & 0xff) + 0.587 * (pixels[plane + i] & 0xff)
                        + 0.114 * (pixels[2 * plane + i] & 0xff);
                out[i] = (byte) Math.min(255, Math.round(luma));
            }
        } else {
            throw new IllegalArgumentException("cannot turn " + channels + " channels into " + wanted);
        }
        return new RawImage(out, wanted, rows, cols);
    }
}
