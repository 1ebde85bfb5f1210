package dev.thaw.train.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * Writes one entry: a temporary file {@code <id>.<random>.partial} in the entry's folder, filled by the builder at the
 * values' own offsets, checked to be complete, its checksum set, forced to disk and renamed over {@code <id>.features}
 * in one atomic step. Until that rename nothing named {@code .features} exists for the key, so a kill at any moment
 * leaves at most the temporary file. Called with the key's lock held.
 */
final class EntryWriter implements TableWriter {
    static final String PARTIAL = ".partial";
    private static final int CHUNK_VALUES = 1 << 18;

    private final FileChannel channel;
    private final TableLayout layout;
    private final long dataStart;
    private final BitSet[] written;

    private EntryWriter(FileChannel channel, TableLayout layout, long dataStart) {
        this.channel = channel;
        this.layout = layout;
        this.dataStart = dataStart;
        this.written = new BitSet[layout.tensors()];
        for (int t = 0; t < written.length; t++) {
            written[t] = new BitSet(layout.count());
        }
    }

    /**
     * Builds the entry {@code entry} for {@code key} with {@code builder} and moves it into place. On any failure the
     * temporary file is deleted and nothing is left.
     */
    static void write(Path entry, FeatureKey key, TableLayout layout, TableBuilder builder) throws IOException {
        String random = HexFormat.of().withLowerCase().toHexDigits(ThreadLocalRandom.current().nextLong());
        Path partial = entry.resolveSibling(key.id() + "." + random + PARTIAL);
        ByteBuffer header = EntryFormat.header(key, layout);
        boolean moved = false;
        try (FileChannel channel = FileChannel.open(partial, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), PrivateFiles.file())) {
            EntryWriter writer = new EntryWriter(channel, layout, header.capacity());
            writeFully(channel, header.duplicate(), 0);
            try {
                builder.build(writer);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.checkComplete();
            header.putLong(EntryFormat.CRC_OFFSET, checksum(channel));
            writeFully(channel, header.position(EntryFormat.CRC_OFFSET).limit(EntryFormat.CHECKED_FROM),
                    EntryFormat.CRC_OFFSET);
            channel.force(true);
            Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(partial);
            }
        }
        PrivateFiles.syncFolder(entry.getParent());
    }

    @Override
    public void put(int tensor, int firstExample, float[] values) {
        if (tensor < 0 || tensor >= layout.tensors()) {
            throw new IllegalArgumentException("tensor " + tensor + " is outside the table's " + layout.tensors());
        }
        int per = layout.exampleValues(tensor);
        if (values.length % per != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole examples of tensor " + tensor
                    + " (" + per + " values each)");
        }
        int examples = values.length / per;
        if (firstExample < 0 || (long) firstExample + examples > layout.count()) {
            throw new IllegalArgumentException("examples " + firstExample + ".." + ((long) firstExample + examples - 1)
                    + " are outside the table's " + layout.count());
        }
        long at = dataStart + layout.tensorStart(tensor) + (long) firstExample * per * Float.BYTES;
        ByteBuffer bytes = ByteBuffer.allocate(Math.min(values.length, CHUNK_VALUES) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (int from = 0; from < values.length; from += CHUNK_VALUES) {
                int n = Math.min(CHUNK_VALUES, values.length - from);
                bytes.clear();
                bytes.asFloatBuffer().put(values, from, n);
                bytes.limit(n * Float.BYTES);
                writeFully(channel, bytes, at + (long) from * Float.BYTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (written) {
            written[tensor].set(firstExample, firstExample + examples);
        }
    }

    private void checkComplete() {
        synchronized (written) {
            for (int t = 0; t < written.length; t++) {
                int missing = written[t].nextClearBit(0);
                if (missing < layout.count()) {
                    throw new IllegalStateException("the builder wrote " + written[t].cardinality() + " of "
                            + layout.count() + " examples of tensor " + t + " (example " + missing + " is missing)");
                }
            }
        }
    }

    /** CRC32C of every byte of the file from {@link EntryFormat#CHECKED_FROM} on. */
    private static long checksum(FileChannel channel) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long at = EntryFormat.CHECKED_FROM;
        while (true) {
            b.clear();
            int n = channel.read(b, at);
            if (n < 0) {
                return crc.getValue();
            }
            at += n;
            crc.update(b.flip());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
    }
}
