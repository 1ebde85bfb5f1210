package dev.thaw.train;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in one sub-folder per class (ImageNet style), decoded by the JDK's ImageIO when asked: JPEG, PNG, BMP and
 * GIF. Files are listed in name order, so the same folders always give the same list; other files are skipped.
 * Gray images stay one channel, colour images become RGB.
 */
record FolderImages(Path root, List<Path> files, int[] labels) implements ImageSet {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    /** Lists the images of {@code classNames}' sub-folders of {@code root}; class i is label i. */
    static FolderImages list(Path root, List<String> classNames) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Path dir = root.resolve(classNames.get(c));
            if (!Files.isDirectory(dir)) {
                throw new IOException("data: class folder not found: " + dir);
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                List<Path> images = walk.filter(Files::isRegularFile).filter(FolderImages::isImage).sorted().toList();
                if (images.isEmpty()) {
                    throw new IOException("data: " + dir + " holds no image (.jpg, .jpeg, .png, .bmp or .gif)");
                }
                for (Path image : images) {
                    files.add(image);
                    labels.add(c);
                }
            }
        }
        return new FolderImages(root, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public String id(int i) {
        return root.relativize(files.get(i)).toString();
    }

    @Override
    public RawImage pixels(int i) throws IOException {
        Path file = files.get(i);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException("cannot decode " + file + ": not a JPEG, PNG, BMP or GIF image");
        }
        return decode(image);
    }

    static RawImage decode(BufferedImage image) {
        int rows = image.getHeight();
        int cols = image.getWidth();
        int plane = rows * cols;
        boolean gray = image.getColorModel().getNumColorComponents() == 1;
        byte[] out = new byte[(gray ? 1 : 3) * plane];
        int bits = image.getColorModel().getComponentSize(0);
        int max = (1 << bits) - 1;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int i = y * cols + x;
                if (gray) {
                    // the raster's own value: getRGB would pass gray through a colour-space conversion
                    out[i] = (byte) Math.round(image.getRaster().getSample(x, y, 0) * 255.0 / max);
                } else {
                    int argb = image.getRGB(x, y);
                    out[i] = (byte) (argb >> 16);
                    out[plane + i] = (byte) (argb >> 8);
                    out[2 * plane + i] = (byte) argb;
                }
            }
        }
        return new RawImage(out, gray ? 1 : 3, rows, cols);
    }
}
