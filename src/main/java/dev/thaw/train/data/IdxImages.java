package dev.thaw.train.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Labelled grayscale images read from an IDX pair (the MNIST / Fashion-MNIST format, raw or gzipped), keeping only
 * the wanted classes. Pixels are the file's bytes, 0..255, row-major.
 */
record IdxImages(Path file, byte[][] pixels, int[] labels, int[] index, int rows, int cols) implements ImageSet {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    @Override
    public String id(int i) {
        return file.getFileName() + "#" + index[i];
    }

    @Override
    public RawImage pixels(int i) {
        return new RawImage(pixels[i], 1, rows, cols);
    }

    /** Reads every image whose label is in {@code keep}. */
    static IdxImages read(Path images, Path labels, Set<Integer> keep) throws IOException {
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            expectMagic(img, IMAGES_MAGIC, images);
            expectMagic(lab, LABELS_MAGIC, labels);
            int count = img.readInt();
            int rows = img.readInt();
            int cols = img.readInt();
            int labelCount = lab.readInt();
            if (count != labelCount) {
                throw new IOException(images + " holds " + count + " images but " + labels + " holds "
                        + labelCount + " labels; they must be a pair");
            }
            byte[][] kept = new byte[count][];
            int[] keptLabels = new int[count];
            int[] keptIndex = new int[count];
            int n = 0;
            for (int i = 0; i < count; i++) {
                byte[] px = new byte[rows * cols];
                img.readFully(px);
                int label = lab.readUnsignedByte();
                if (keep.contains(label)) {
                    kept[n] = px;
                    keptIndex[n] = i;
                    keptLabels[n++] = label;
                }
            }
            return new IdxImages(images, java.util.Arrays.copyOf(kept, n), java.util.Arrays.copyOf(keptLabels, n),
                    java.util.Arrays.copyOf(keptIndex, n), rows, cols);
        } catch (EOFException e) {
            throw new IOException(images + " or " + labels + " ends early; the file is truncated", e);
        }
    }

    private static DataInputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static void expectMagic(DataInputStream in, int magic, Path path) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new IOException(path + " is not an IDX " + (magic == IMAGES_MAGIC ? "image" : "label")
                    + " file (magic " + Integer.toHexString(found) + ", expected " + Integer.toHexString(magic) + ")");
        }
    }
}
