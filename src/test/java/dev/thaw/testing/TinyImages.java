package dev.thaw.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The same kind of images in colour as CIFAR-10 binary batches in {@code dir}: {@code batches} training batches
     * ({@code data_batch_1.bin}, ...) of {@code perBatch} images of each of the labels {@code labels}, and a
     * {@code test_batch.bin} of half as many.
     */
    public static Path writeCifar(Path dir, List<Integer> labels, int batches, int perBatch) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(3);
        for (int b = 1; b <= batches; b++) {
            writeCifarBatch(dir.resolve("data_batch_" + b + ".bin"), labels, perBatch, random);
        }
        writeCifarBatch(dir.resolve("test_batch.bin"), labels, Math.max(1, perBatch / 2), random);
        return dir;
    }

    private static void writeCifarBatch(Path file, List<Integer> labels, int perClass, Random random) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < perClass * labels.size(); i++) {
                int label = labels.get(i % labels.size());
                out.write(label);
                out.write(colourBlock(label, 32, random));
            }
        }
    }

    /**
     * The same kind of images as PNG, JPEG and BMP files in one sub-folder per class name under {@code dir}; every
     * third image is gray, the others colour.
     */
    public static Path writeFolders(Path dir, List<String> classes, int perClass, int size) throws IOException {
        Random random = new Random(4);
        String[] formats = {"png", "jpg", "bmp"};
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = Files.createDirectories(dir.resolve(classes.get(c)));
            for (int i = 0; i < perClass; i++) {
                byte[] planes = colourBlock(c, size, random);
                boolean gray = i % 3 == 2;
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(size, size,
                        gray ? java.awt.image.BufferedImage.TYPE_BYTE_GRAY : java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int at = y * size + x;
                        int r = planes[at] & 0xff;
                        int g = planes[size * size + at] & 0xff;
                        int b = planes[2 * size * size + at] & 0xff;
                        if (gray) {
                            image.getRaster().setSample(x, y, 0, (r + g + b) / 3);
                        } else {
                            image.setRGB(x, y, (r << 16) | (g << 8) | b);
                        }
                    }
                }
                String format = formats[i % formats.length];
                javax.imageio.ImageIO.write(image, format, classDir.resolve(String.format("img-%03d.%s", i, format)).toFile());
            }
        }
        return dir;
    }

    /** A bright block at the label's place, red for even labels and green for odd ones, on a noisy background. */
    private static byte[] colourBlock(int label, int size, Random random) {
        byte[] px = new byte[3 * size * size];
        int block = Math.max(2, size / 4);
        int cells = size / block;
        int cy = (label / cells) % cells * block;
        int cx = label % cells * block;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = y >= cy && y < cy + block && x >= cx && x < cx + block && (c == label % 2 || c == 2);
                    px[c * size * size + y * size + x] = (byte) Math.min(255, (on ? 200 : 20) + random.nextInt(40));
                }
            }
        }
        return px;
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
