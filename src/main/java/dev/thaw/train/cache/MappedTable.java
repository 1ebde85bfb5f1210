package dev.thaw.train.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A table read through memory maps of its entry file. One map holds at most {@code mapLimit} bytes (2 GiB - 1 at
 * most, Java's limit) and a whole number of examples, so a tensor over the limit is read through several maps. The
 * maps stay valid after the file is deleted or replaced (Linux keeps the file until they are gone).
 */
final class MappedTable implements FeatureTable {
    private final TableLayout layout;
    /** Per tensor, its maps in order, as floats. */
    private final FloatBuffer[][] maps;
    /** Per tensor, the examples in each of its maps (the last may hold fewer). */
    private final int[] examplesPerMap;

    private MappedTable(TableLayout layout, FloatBuffer[][] maps, int[] examplesPerMap) {
        this.layout = layout;
        this.maps = maps;
        this.examplesPerMap = examplesPerMap;
    }

    /**
     * Maps the data of the entry open in {@code channel}, whose header is {@code header}; with {@code verify}, checks
     * its checksum first (reading every byte once).
     *
     * @throws EntryFormat.DamagedException when verified and the checksum differs
     */
    static MappedTable map(FileChannel channel, EntryFormat.Header header, boolean verify, long mapLimit)
            throws IOException {
        TableLayout layout = header.layout();
        FloatBuffer[][] maps = new FloatBuffer[layout.tensors()][];
        int[] perMap = new int[layout.tensors()];
        CRC32C crc = new CRC32C();
        if (verify) {
            ByteBuffer rest = ByteBuffer.allocate(header.length() - EntryFormat.CHECKED_FROM);
            while (rest.hasRemaining()) {
                if (channel.read(rest, EntryFormat.CHECKED_FROM + rest.position()) < 0) {
                    throw new EntryFormat.DamagedException("the file ended inside its header");
                }
            }
            crc.update(rest.flip());
        }
        long limit = Math.min(mapLimit, Integer.MAX_VALUE);
        for (int t = 0; t < layout.tensors(); t++) {
            long exampleBytes = (long) layout.exampleValues(t) * Float.BYTES;
            perMap[t] = (int) Math.max(1, Math.min(layout.count(), limit / exampleBytes));
            int count = (layout.count() + perMap[t] - 1) / perMap[t];
            maps[t] = new FloatBuffer[count];
            long start = header.length() + layout.tensorStart(t);
            for (int m = 0; m < count; m++) {
                int examples = Math.min(perMap[t], layout.count() - m * perMap[t]);
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY,
                        start + (long) m * perMap[t] * exampleBytes, examples * exampleBytes);
                if (verify) {
                    crc.update(map.duplicate());
                }
                maps[t][m] = map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
        }
        if (verify && crc.getValue() != header.crc()) {
            throw new EntryFormat.DamagedException("its checksum does not match its bytes");
        }
        return new MappedTable(layout, maps, perMap);
    }

    /** The number of maps tensor {@code t} is read through. */
    int maps(int t) {
        return maps[t].length;
    }

    @Override
    public int count() {
        return layout.count();
    }

    @Override
    public List<long[]> shapes() {
        return layout.shapeCopies();
    }

    @Override
    public void read(int tensor, int example, float[] into, int offset) {
        java.util.Objects.checkIndex(example, layout.count());
        int values = layout.exampleValues(tensor);
        int per = examplesPerMap[tensor];
        maps[tensor][example / per].get((example % per) * values, into, offset, values);
    }
}
