package dev.thaw.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a tiny, learnable image data set as gzipped IDX files (the Fashion-MNIST format): each class is a bright
 * block at its own place on a noisy background, so a small CNN learns it in an epoch.
 */
public final class TinyImages {
    public final Path trainImages;
    public final Path trainLabels;
    public final Path testImages;
    public final Path testLabels;

    private TinyImages(Path dir) {
        this.trainImages = dir.resolve("train-images-idx3-ubyte.gz");
        this.trainLabels = dir.resolve("train-labels-idx1-ubyte.gz");
        this.testImages = dir.resolve("t10k-images-idx3-ubyte.gz");
        this.testLabels = dir.resolve("t10k-labels-idx1-ubyte.gz");
    }

    /** {@code perClass} training and {@code perClass / 2} test images of each of {@code classes} classes. */
    public static TinyImages write(Path dir, int classes, int perClass, int size) throws IOException {
        Files.createDirectories(dir);
        TinyImages files = new TinyImages(dir);
        write(files.trainImages, files.trainLabels, classes, perClass, size, new Random(1));
        write(files.testImages, files.testLabels, classes, Math.max(1, perClass / 2), size, new Random(2));
        return files;
    }

    private static void write(Path images, Path labels, int classes, int perClass, int size, Random random)
            throws IOException {
        int n = classes * perClass;
        try (DataOutputStream img = gz(images); DataOutputStream lab = gz(labels)) {
            img.writeInt(0x00000803);
            img.writeInt(n);
            img.writeInt(size);
            img.writeInt(size);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % classes;
                byte[] px = new byte[size * size];
                int block = Math.max(2, size / 4);
                int cells = size / block;
                int cy = (label / cells) % cells * block;
                int cx = label % cells * block;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean on = y >= cy && y < cy + block && x >= cx && x < cx + block;
                        int v = (on ? 200 : 20) + random.nextInt(40);
                        px[y * size + x] = (byte) Math.min(255, v);
                    }
                }
                img.write(px);
                lab.writeByte(label);
            }
        }
    }

    private static DataOutputStream gz(Path path) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(path));
        return new DataOutputStream(out);
    }
}
