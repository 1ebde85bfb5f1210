package dev.thaw.train.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Images of the CIFAR-10 binary batches: records of one label byte (0..9) and 3,072 pixel bytes, the red, green and
 * blue 32x32 planes one after the other. Keeps only the wanted classes.
 */
record CifarImages(List<String> files, List<byte[]> images, int[] labels, int[] fileOf, int[] index)
        implements ImageSet {
    static final int SIDE = 32;
    private static final int RECORD = 1 + 3 * SIDE * SIDE;
    private static final Pattern TRAIN_BATCH = Pattern.compile("data_batch_(\\d+)\\.bin");

    /** Every {@code data_batch_N.bin} of {@code dir}, in the order of N. */
    static CifarImages readTrain(Path dir, Set<Integer> keep) throws IOException {
        List<Path> batches;
        try (var files = Files.list(dir)) {
            batches = files.filter(p -> TRAIN_BATCH.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(CifarImages::batchNumber)).toList();
        }
        if (batches.isEmpty()) {
            throw new IOException(dir + " holds no data_batch_N.bin file (CIFAR-10 binary version)");
        }
        return read(batches, keep);
    }

    static CifarImages read(Path batch, Set<Integer> keep) throws IOException {
        return read(List.of(batch), keep);
    }

    private static CifarImages read(List<Path> batches, Set<Integer> keep) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        for (int f = 0; f < batches.size(); f++) {
            Path batch = batches.get(f);
            names.add(batch.getFileName().toString());
            long size = Files.size(batch);
            if (size == 0 || size % RECORD != 0) {
                throw new IOException(batch + " is not a CIFAR-10 binary batch: " + size + " bytes is not a whole "
                        + "number of " + RECORD + "-byte records");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(batch), 1 << 16))) {
                for (int i = 0; i < size / RECORD; i++) {
                    int label = in.readUnsignedByte();
                    if (label > 9) {
                        throw new IOException(batch + ": record " + i + " has label " + label + "; CIFAR-10 labels are 0..9");
                    }
                    if (keep.contains(label)) {
                        byte[] px = new byte[RECORD - 1];
                        in.readFully(px);
                        images.add(px);
                        where.add(new int[]{label, f, i});
                    } else {
                        in.skipNBytes(RECORD - 1);
                    }
                }
            } catch (EOFException e) {
                throw new IOException(batch + " ends early; the file is truncated", e);
            }
        }
        int[] labels = where.stream().mapToInt(w -> w[0]).toArray();
        int[] fileOf = where.stream().mapToInt(w -> w[1]).toArray();
        int[] index = where.stream().mapToInt(w -> w[2]).toArray();
        return new CifarImages(List.copyOf(names), images, labels, fileOf, index);
    }

    private static int batchNumber(Path p) {
        Matcher m = TRAIN_BATCH.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    @Override
    public String id(int i) {
        return files.get(fileOf[i]) + "#" + index[i];
    }

    @Override
    public RawImage pixels(int i) {
        return new RawImage(images.get(i), 3, SIDE, SIDE);
    }
}
