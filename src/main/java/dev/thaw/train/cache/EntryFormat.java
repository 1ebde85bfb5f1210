package dev.thaw.train.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of an entry file {@code <id>.features}, every number little-endian:
 * <pre>
 * offset 0   8 bytes  magic "THAWFEAT"
 *        8   int      format version (1)
 *        12  int      header length H: the data's offset, a multiple of 64
 *        16  long     CRC32C of every byte from offset 24 to the end of the file
 *        24  int      J, then J bytes: the key as JSON in UTF-8 ({@link KeyJson})
 *            int      count (examples), int T (tensors), then per tensor: int rank, rank longs (its shape)
 *            zeros up to H
 *        H   float32  the values, tensor-major: all examples of tensor 0, then of tensor 1, ... (C order each)
 * </pre>
 * A file is an entry only when all of this holds and its size is exactly H plus the values' bytes.
 */
final class EntryFormat {
    static final int VERSION = 1;
    static final int CRC_OFFSET = 16;
    static final int CHECKED_FROM = 24;
    private static final byte[] MAGIC = "THAWFEAT".getBytes(StandardCharsets.US_ASCII);
    private static final int ALIGN = 64;
    private static final int MAX_HEADER = 1 << 20;

    private EntryFormat() {
    }

    /** A file that is not a whole entry: it is deleted and built again, never read. */
    static final class DamagedException extends IOException {
        DamagedException(String message) {
            super(message);
        }
    }

    /** What a header says: the key, the layout, and the data's offset and checksum. */
    record Header(FeatureKey key, TableLayout layout, int length, long crc) {
        long fileBytes() {
            return length + layout.dataBytes();
        }
    }

    /** The header of an entry for {@code key} and {@code layout}, with a zero checksum: {@link Header#length} bytes. */
    static ByteBuffer header(FeatureKey key, TableLayout layout) {
        byte[] json = KeyJson.write(key).getBytes(StandardCharsets.UTF_8);
        int bytes = CHECKED_FROM + 4 + json.length + 8;
        for (long[] shape : layout.shapes()) {
            bytes += 4 + 8 * shape.length;
        }
        int length = (bytes + ALIGN - 1) / ALIGN * ALIGN;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(length).putLong(0).putInt(json.length).put(json);
        b.putInt(layout.count()).putInt(layout.tensors());
        for (long[] shape : layout.shapes()) {
            b.putInt(shape.length);
            for (long d : shape) {
                b.putLong(d);
            }
        }
        return b.clear();
    }

    /**
     * Reads and checks the header of the file open in {@code channel} (not its checksum, which needs every byte).
     *
     * @throws DamagedException when the file is not a whole entry of this format
     */
    static Header read(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer fixed = readFully(channel, 0, CHECKED_FROM, size);
        byte[] magic = new byte[MAGIC.length];
        fixed.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new DamagedException("not a Thaw feature entry (its first bytes are not THAWFEAT)");
        }
        int version = fixed.getInt();
        int length = fixed.getInt();
        long crc = fixed.getLong();
        if (version != VERSION) {
            throw new DamagedException("entry format " + version + ", this Thaw reads " + VERSION);
        }
        if (length < CHECKED_FROM || length > MAX_HEADER || length % ALIGN != 0) {
            throw new DamagedException("header length " + length + " is impossible");
        }
        ByteBuffer b = readFully(channel, 0, length, size).position(CHECKED_FROM);
        try {
            int jsonLength = b.getInt();
            if (jsonLength < 0 || jsonLength > b.remaining()) {
                throw new DamagedException("a key of " + jsonLength + " bytes does not fit its header");
            }
            byte[] json = new byte[jsonLength];
            b.get(json);
            FeatureKey key = KeyJson.read(new String(json, StandardCharsets.UTF_8));
            int count = b.getInt();
            int tensors = b.getInt();
            if (tensors < 1 || tensors > length) {
                throw new DamagedException(tensors + " tensors is impossible");
            }
            List<long[]> shapes = new ArrayList<>();
            for (int t = 0; t < tensors; t++) {
                int rank = b.getInt();
                if (rank < 1 || rank > length) {
                    throw new DamagedException("rank " + rank + " is impossible");
                }
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = b.getLong();
                }
                shapes.add(shape);
            }
            Header header = new Header(key, new TableLayout(count, shapes), length, crc);
            if (header.fileBytes() != size) {
                throw new DamagedException("the file has " + size + " bytes, its header says " + header.fileBytes());
            }
            return header;
        } catch (RuntimeException e) { // a short buffer, a bad key or layout: ArithmeticException, IllegalArgument...
            throw new DamagedException("unreadable header: " + e);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long at, int bytes, long size) throws IOException {
        if (size < at + bytes) {
            throw new DamagedException("the file has " + size + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new DamagedException("the file ended inside its header");
            }
        }
        return b.flip();
    }
}
