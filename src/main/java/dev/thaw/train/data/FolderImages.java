package dev.thaw.train.data;

import dev.thaw.study.Printable;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Images in one sub-folder per class (ImageNet style), decoded by the JDK's ImageIO when asked: JPEG, PNG, BMP and
 * GIF. A class folder is searched at any depth, following links; every file or folder whose name starts with
 * {@code .} is skipped (editor checkpoints such as {@code .ipynb_checkpoints/}, {@code .DS_Store}, macOS's {@code ._}
 * copies), and so is every file without an image extension ({@code Thumbs.db}, {@code desktop.ini}, notes). A file
 * with an image extension must be an image: one that ImageIO cannot recognise is refused, named, rather than skipped.
 * Files are listed in name order, so the same folders always give the same list. Gray images stay one channel, colour
 * images become RGB. {@code field} is the study-file key that names {@code root}, for errors.
 */
record FolderImages(Path root, String field, List<Path> files, int[] labels) implements ImageSet {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    static final String KINDS = "JPEG, PNG, BMP or GIF";

    /**
     * Lists the images of {@code classNames}' sub-folders of {@code root}; class i is label i.
     *
     * @param field {@code data.train_dir} or {@code data.test_dir}, the key that names {@code root}
     * @throws DataException a class folder missing, a symlink loop, or files with an image extension that are not images
     */
    static FolderImages list(Path root, List<String> classNames, String field) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> unreadable = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            String name = classNames.get(c);
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new DataException(field + ": no sub-folder '" + name + "' in " + root + "; add " + name
                        + "'s images there, or leave " + name + " out of data.classes");
            }
            for (Path image : imagesUnder(root, dir, field)) {
                if (!recognised(image)) {
                    unreadable.add(image);
                }
                files.add(image);
                labels.add(c);
            }
        }
        if (!unreadable.isEmpty()) {
            boolean one = unreadable.size() == 1;
            throw new DataException(field + ": " + describe(root, unreadable) + (one ? " is not a " + KINDS + " image"
                    : " are not " + KINDS + " images") + " ImageIO can read, whatever the name says; delete, convert or "
                    + "move " + (one ? "it" : "them") + " out of " + root);
        }
        return new FolderImages(root, field, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The image files under a class folder, hidden names and non-image extensions skipped, in name order. */
    private static List<Path> imagesUnder(Path root, Path classDir, String field) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(classDir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(classDir) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isDirectory() && !hidden(file) && hasImageExtension(file)) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (hidden(file)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (e instanceof FileSystemLoopException) {
                            throw new DataException(field + ": " + root.relativize(file) + " links back to a folder "
                                    + "that holds it (a symlink loop); remove the link");
                        }
                        throw new DataException(field + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); fix its permissions "
                                + "or move it out of " + root);
                    }
                });
        found.sort(null);
        return found;
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    private static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** True when ImageIO recognises the file's header as an image it can decode (cheap: the pixels are not read). */
    private static boolean recognised(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return false;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.getWidth(0) > 0 && reader.getHeight(0) > 0;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The files for people, relative to the root: all of up to three, else the count and the first three. */
    private static String describe(Path root, List<Path> files) {
        String shown = String.join(", ", files.stream().limit(3).map(f -> root.relativize(f).toString()).toList());
        return files.size() > 3 ? files.size() + " files (" + shown + ", ...)" : shown;
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
            throw new DataException(field + ": " + id(i) + " cannot be decoded (" + Printable.firstLine(e)
                    + "); delete, convert or move it out of " + root);
        }
        if (image == null) {
            throw new DataException(field + ": " + id(i) + " is not a " + KINDS + " image ImageIO can read; delete, "
                    + "convert or move it out of " + root);
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
