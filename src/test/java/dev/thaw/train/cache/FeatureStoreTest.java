package dev.thaw.train.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import static dev.thaw.train.cache.Tables.COUNT;
import static dev.thaw.train.cache.Tables.SHAPES;
import static dev.thaw.train.cache.Tables.assertHolds;
import static dev.thaw.train.cache.Tables.counting;
import static dev.thaw.train.cache.Tables.files;
import static dev.thaw.train.cache.Tables.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One process's use of the store, on real files in a temporary folder. */
class FeatureStoreTest {
    private static final long LARGE = 1L << 30;

    @TempDir
    Path tmp;

    private FeatureStore store(long maxBytes, long memoryBytes) {
        return new FeatureStore(tmp.resolve("cache"), maxBytes, memoryBytes, new Tables.TickingClock(),
                Integer.MAX_VALUE);
    }

    private static FeatureTable table(FeatureStore store, String name, AtomicInteger builds) throws IOException {
        return store.table(key(name), COUNT, SHAPES, counting(COUNT, SHAPES, builds)).orElseThrow();
    }

    @Test
    void aTableIsBuiltOnceThenComesFromMemoryAndFromDisk() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        FeatureStore store = store(LARGE, LARGE);
        FeatureTable first = table(store, "a", builds);
        assertHolds(first, COUNT, SHAPES);
        assertInstanceOf(HeapTable.class, first, "within memoryBytes: held on the heap");
        assertSame(first, table(store, "a", builds), "the second ask is served from memory");
        FeatureTable fromDisk = table(store(LARGE, 0), "a", builds);
        assertInstanceOf(MappedTable.class, fromDisk, "another store without memory reads the map");
        assertHolds(fromDisk, COUNT, SHAPES);
        assertEquals(1, builds.get());
        assertEquals(List.of(tmp.resolve("cache").resolve(key("a").id() + ".features")),
                files(tmp.resolve("cache"), ".features"));
    }

    @Test
    void anEntryFileIsAHeaderWithTheKeyThenLittleEndianFloatsTensorMajor() throws IOException {
        table(store(LARGE, 0), "a", new AtomicInteger());
        byte[] file = Files.readAllBytes(tmp.resolve("cache").resolve(key("a").id() + ".features"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("THAWFEAT", new String(file, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8), "format version");
        int header = b.getInt(12);
        assertEquals(0, header % 64);
        String json = new String(file, 28, b.getInt(24), StandardCharsets.UTF_8);
        assertEquals("{\"source\":\"source-a\",\"source_fingerprint\":\"sha256:aa\",\"data\":\"fashion-mnist\","
                + "\"split\":\"train\",\"preprocess\":\"scale-255\",\"image_size\":28,\"boundary\":\"block 3\","
                + "\"input_fingerprint\":\"sha256:bb\"}", json);
        assertEquals(COUNT, b.getInt(28 + json.length()));
        assertEquals(2, b.getInt(32 + json.length()), "two tensors");
        assertEquals(header + (long) COUNT * (6 + 5) * 4, file.length);
        CRC32C crc = new CRC32C();
        crc.update(file, 24, file.length - 24);
        assertEquals(crc.getValue(), b.getLong(16));
        assertEquals(Tables.value(0, 0, 0), b.getFloat(header));
        assertEquals(Tables.value(0, 1, 0), b.getFloat(header + 6 * 4), "example 1 follows example 0");
        assertEquals(Tables.value(1, 0, 0), b.getFloat(header + COUNT * 6 * 4), "tensor 1 follows all of tensor 0");
        assertEquals(Tables.value(1, COUNT - 1, 4), b.getFloat(file.length - 4));
    }

    @Test
    void aTensorLargerThanOneMapIsReadThroughSeveralMaps() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        table(store(LARGE, 0), "a", builds);
        // 72 bytes: three examples of tensor 0 (24 bytes each) and of tensor 1 (20 bytes each) per map
        FeatureStore small = new FeatureStore(tmp.resolve("cache"), LARGE, 0, new Tables.TickingClock(), 72);
        MappedTable split = assertInstanceOf(MappedTable.class, table(small, "a", builds));
        assertEquals(3, split.maps(0));
        assertEquals(3, split.maps(1));
        assertHolds(split, COUNT, SHAPES);
        // a limit below one example: one example per map
        FeatureStore tiny = new FeatureStore(tmp.resolve("cache"), LARGE, 0, new Tables.TickingClock(), 4);
        MappedTable each = assertInstanceOf(MappedTable.class, table(tiny, "a", builds));
        assertEquals(COUNT, each.maps(0));
        assertHolds(each, COUNT, SHAPES);
        assertEquals(1, builds.get());
    }

    @Test
    void theMemoryTierHoldsTheMostRecentTablesWithinItsBudget() throws IOException {
        long tableBytes = (long) COUNT * (6 + 5) * 4;
        FeatureStore store = store(LARGE, 2 * tableBytes);
        AtomicInteger builds = new AtomicInteger();
        FeatureTable a = table(store, "a", builds);
        table(store, "b", builds);
        assertSame(a, table(store, "a", builds), "a is used again: b is now the least recent");
        table(store, "c", builds);
        assertEquals(2 * tableBytes, store.memoryBytes());
        for (Path entry : files(tmp.resolve("cache"), ".features")) {
            Files.delete(entry); // from now on, only memory can serve a table without building it
        }
        assertSame(a, table(store, "a", builds));
        table(store, "c", builds);
        assertEquals(3, builds.get(), "a and c came from memory");
        table(store, "b", builds);
        assertEquals(4, builds.get(), "b was dropped from memory");
        // a table over the memory budget is read through the map, with the same values
        FeatureTable mapped = table(store(LARGE, tableBytes - 1), "b", builds);
        assertInstanceOf(MappedTable.class, mapped);
        assertHolds(mapped, COUNT, SHAPES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "one data byte changed", "magic", "header length", "key length", "empty", "another key",
            "symbolic link"})
    void aDamagedEntryIsDeletedAndBuiltAgain(String damage) throws IOException {
        AtomicInteger builds = new AtomicInteger();
        table(store(LARGE, 0), "a", builds);
        Path entry = tmp.resolve("cache").resolve(key("a").id() + ".features");
        long size = Files.size(entry);
        switch (damage) {
            case "truncated" -> {
                try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
                    f.setLength(size - 4);
                }
            }
            case "one data byte changed" -> flip(entry, size - 3);
            case "magic" -> flip(entry, 2);
            case "header length" -> flip(entry, 13);
            case "key length" -> flip(entry, 27);
            case "empty" -> Files.write(entry, new byte[0]);
            case "another key" -> {
                table(store(LARGE, 0), "b", builds);
                Files.copy(tmp.resolve("cache").resolve(key("b").id() + ".features"), entry,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            case "symbolic link" -> {
                Path elsewhere = tmp.resolve("elsewhere.features");
                Files.move(entry, elsewhere);
                Files.createSymbolicLink(entry, elsewhere);
            }
            default -> throw new IllegalArgumentException(damage);
        }
        int before = builds.get();
        if (!damage.equals("one data byte changed")) { // list reads headers only; the checksum needs every byte
            assertTrue(store(LARGE, 0).list().stream().noneMatch(e -> e.key().equals(key("a"))),
                    "list leaves out what is not a whole entry: " + damage);
        }
        FeatureTable rebuilt = table(store(LARGE, 0), "a", builds);
        assertEquals(before + 1, builds.get(), damage + ": built again");
        assertHolds(rebuilt, COUNT, SHAPES);
        assertFalse(Files.isSymbolicLink(entry));
        assertEquals(size, Files.size(entry), "a whole entry again");
        assertHolds(table(store(LARGE, 0), "a", builds), COUNT, SHAPES);
        assertEquals(before + 1, builds.get(), "and read from then on");
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void anEntryOfTheSameKeyWithAnotherLayoutIsReplaced() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        table(store(LARGE, 0), "a", builds);
        int count = COUNT + 1;
        FeatureTable longer = store(LARGE, 0).table(key("a"), count, SHAPES, counting(count, SHAPES, builds))
                .orElseThrow();
        assertEquals(2, builds.get());
        assertHolds(longer, count, SHAPES);
        assertEquals(List.of(count), store(LARGE, 0).list().stream().map(EntryInfo::images).toList());
    }

    @Test
    void aBuilderThatFailsOrLeavesExamplesOutLeavesNoEntry() throws IOException {
        FeatureStore store = store(LARGE, LARGE);
        IOException failed = assertThrows(IOException.class, () -> store.table(key("a"), COUNT, SHAPES, out -> {
            out.put(0, 0, Tables.example(SHAPES, 0, 0));
            throw new IOException("the source model cannot be read");
        }));
        assertEquals("the source model cannot be read", failed.getMessage());
        IllegalStateException incomplete = assertThrows(IllegalStateException.class,
                () -> store.table(key("a"), COUNT, SHAPES, out -> out.put(1, 0, Tables.example(SHAPES, 1, 0))));
        assertEquals("the builder wrote 0 of 7 examples of tensor 0 (example 0 is missing)", incomplete.getMessage());
        assertEquals(List.of(), files(tmp.resolve("cache"), ".features"));
        assertEquals(List.of(), files(tmp.resolve("cache"), ".partial"));
        AtomicInteger builds = new AtomicInteger();
        assertHolds(table(store, "a", builds), COUNT, SHAPES);
        assertEquals(1, builds.get());
    }

    @Test
    void aPutOutsideTheTableIsRefusedWithItsValues() {
        FeatureStore store = store(LARGE, 0);
        assertEquals("4 values are not whole examples of tensor 1 (5 values each)",
                assertThrows(IllegalArgumentException.class, () -> store.table(key("a"), COUNT, SHAPES,
                        out -> out.put(1, 0, new float[4]))).getMessage());
        assertEquals("examples 6..7 are outside the table's 7", assertThrows(IllegalArgumentException.class,
                () -> store.table(key("a"), COUNT, SHAPES, out -> out.put(1, 6, new float[10]))).getMessage());
        assertEquals("tensor 2 is outside the table's 2", assertThrows(IllegalArgumentException.class,
                () -> store.table(key("a"), COUNT, SHAPES, out -> out.put(2, 0, new float[5]))).getMessage());
        assertEquals("tensor 1's dimensions must be >= 1, got [0]", assertThrows(IllegalArgumentException.class,
                () -> store.table(key("a"), COUNT, List.of(new long[] {3}, new long[] {0}), out -> {
                })).getMessage());
    }

    @Test
    void theFolderAndItsFilesArePrivate() throws IOException {
        table(store(LARGE, 0), "a", new AtomicInteger());
        Path dir = tmp.resolve("cache");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(key("a").id() + ".features"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(key("a").id() + ".lock"))));
    }

    @Test
    void aTableLargerThanTheDiskBudgetIsNotCachedAndNothingIsWritten() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        long entryBytes = entryBytes(COUNT);
        Optional<FeatureTable> none = store(entryBytes - 1, LARGE).table(key("a"), COUNT, SHAPES,
                counting(COUNT, SHAPES, builds));
        assertTrue(none.isEmpty());
        assertEquals(0, builds.get());
        assertFalse(Files.exists(tmp.resolve("cache")), "not even the folder");
        assertTrue(store(entryBytes, LARGE).table(key("a"), COUNT, SHAPES, counting(COUNT, SHAPES, builds))
                .isPresent(), "exactly the budget fits");
        assertEquals(entryBytes, Files.size(tmp.resolve("cache").resolve(key("a").id() + ".features")));
    }

    @Test
    void afterAWriteTheLeastRecentlyUsedEntriesAreDeletedUntilTheTotalFits() throws IOException {
        long entry = entryBytes(COUNT);
        Tables.TickingClock clock = new Tables.TickingClock();
        Path dir = tmp.resolve("cache");
        FeatureStore store = new FeatureStore(dir, 3 * entry, 0, clock, Integer.MAX_VALUE);
        AtomicInteger builds = new AtomicInteger();
        for (String name : List.of("a", "b", "c")) {
            table(store, name, builds);
        }
        table(store, "a", builds); // a read: a is now used after b and c
        assertEquals(3, builds.get());
        table(store, "d", builds);
        assertEquals(List.of("a", "c", "d"), names(store), "b, the least recently used, is evicted");
        assertTrue(total(dir) <= 3 * entry);
        assertFalse(Files.exists(dir.resolve(key("b").id() + ".lock")), "with its lock file");
        // a bigger table evicts as many as it needs, least recent first: c, then a
        int count = 2 * COUNT;
        new FeatureStore(dir, 3 * entry, 0, clock, Integer.MAX_VALUE)
                .table(key("e"), count, SHAPES, counting(count, SHAPES, builds)).orElseThrow();
        assertEquals(List.of("d", "e"), names(store));
        assertTrue(total(dir) <= 3 * entry, total(dir) + " bytes");
        table(store, "b", builds);
        assertEquals(6, builds.get(), "b is built again");
    }

    /** The bytes of an entry of {@code count} examples for these test keys (all of one length). */
    private static long entryBytes(int count) {
        TableLayout layout = new TableLayout(count, SHAPES);
        return EntryFormat.header(key("a"), layout).capacity() + layout.dataBytes();
    }

    private static List<String> names(FeatureStore store) throws IOException {
        return store.list().stream().map(e -> e.key().source().substring("source-".length())).sorted().toList();
    }

    private static long total(Path dir) throws IOException {
        long total = 0;
        for (Path p : files(dir, ".features")) {
            total += Files.size(p);
        }
        return total;
    }

    @Test
    void listShowsEachEntryWithItsKeyImagesSizeAndLastUse() throws IOException {
        Tables.TickingClock clock = new Tables.TickingClock();
        FeatureStore store = new FeatureStore(tmp.resolve("cache"), LARGE, 0, clock, Integer.MAX_VALUE);
        assertEquals(List.of(), store.list(), "a missing folder has no entries");
        table(store, "a", new AtomicInteger());
        table(store, "b", new AtomicInteger());
        List<EntryInfo> list = store.list();
        assertEquals(List.of(key("b"), key("a")), list.stream().map(EntryInfo::key).toList(), "most recent first");
        EntryInfo b = list.get(0);
        assertEquals(COUNT, b.images());
        assertEquals(Files.size(tmp.resolve("cache").resolve(key("b").id() + ".features")), b.bytes());
        assertEquals(Files.getLastModifiedTime(tmp.resolve("cache").resolve(key("b").id() + ".features"))
                .toInstant(), b.lastUse());
        Files.writeString(tmp.resolve("cache").resolve("notes.txt"), "not an entry");
        assertEquals(2, store.list().size(), "other files are left out");
    }

    @Test
    void clearDeletesEntriesAndDeadBuildsButNotAKeyBeingBuilt() throws Exception {
        Path dir = tmp.resolve("cache");
        FeatureStore store = store(LARGE, LARGE);
        table(store, "a", new AtomicInteger());
        table(store, "b", new AtomicInteger());
        long entryBytes = Files.size(dir.resolve(key("a").id() + ".features"));
        Path dead = dir.resolve(key("c").id() + ".0123456789abcdef.partial");
        Files.write(dead, new byte[100]);
        Files.writeString(dir.resolve("notes.txt"), "not the cache's");
        java.util.concurrent.CountDownLatch building = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread builder = new Thread(() -> {
            try {
                store.table(key("d"), COUNT, SHAPES, out -> {
                    out.put(0, 0, Tables.example(SHAPES, 0, 0));
                    building.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    counting(COUNT, SHAPES, new AtomicInteger()).build(out);
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        builder.start();
        building.await();
        assertEquals(1, files(dir, ".partial").stream().filter(p -> p.getFileName().toString()
                .startsWith(key("d").id())).count());
        Cleared cleared = store.clear();
        assertEquals(new Cleared(2, 1, 2 * entryBytes + 100, 1), cleared);
        assertEquals(List.of(), files(dir, ".features"));
        assertEquals(1, files(dir, ".partial").size(), "the build under way keeps its file");
        assertEquals(List.of(dir.resolve(key("d").id() + ".lock")), files(dir, ".lock"));
        assertTrue(Files.exists(dir.resolve("notes.txt")), "files that are not the cache's stay");
        release.countDown();
        builder.join();
        assertEquals(List.of(key("d")), store.list().stream().map(EntryInfo::key).toList());
        AtomicInteger builds = new AtomicInteger();
        assertHolds(table(store, "a", builds), COUNT, SHAPES);
        assertEquals(1, builds.get(), "clear forgets the tables held in memory too");
        assertEquals(new Cleared(0, 0, 0, 0), new FeatureStore(tmp.resolve("missing"), LARGE, 0).clear());
    }

    @Test
    void aKeyIsNamedByAHashOverItsLengthPrefixedFields() {
        FeatureKey k = key("a");
        assertEquals(32, k.id().length());
        assertTrue(k.id().matches("[0-9a-f]{32}"));
        assertEquals(k.id(), key("a").id());
        FeatureKey ab = new FeatureKey("ab", "c", "d", "e", "f", 1, "g", "h");
        FeatureKey a = new FeatureKey("a", "bc", "d", "e", "f", 1, "g", "h");
        assertFalse(ab.id().equals(a.id()), "moving a character between fields changes the id");
        assertFalse(k.id().equals(new FeatureKey("source-a", "sha256:aa", "fashion-mnist", "train", "scale-255", 29,
                "block 3", "sha256:bb").id()), "the image size is part of it");
        assertEquals("imageSize >= 1 must hold, got 0", assertThrows(IllegalArgumentException.class,
                () -> new FeatureKey("s", "f", "d", "t", "p", 0, "b", "i")).getMessage());
    }

    @Test
    void theHeaderKeyReadsBackWhateverTheFieldsHold() {
        FeatureKey odd = new FeatureKey("model \"x\"\\y", "\u001b[31m", "données/ñ", "fold 2/5\n", "", 224,
                "\u202Eblock", "\ud83d\ude00");
        assertEquals(odd, KeyJson.read(KeyJson.write(odd)));
        assertTrue(KeyJson.write(odd).chars().allMatch(c -> c >= 0x20 && c < 0x7f), KeyJson.write(odd));
        assertThrows(IllegalArgumentException.class, () -> KeyJson.read(KeyJson.write(odd) + " "));
        assertThrows(IllegalArgumentException.class,
                () -> KeyJson.read(KeyJson.write(odd).replace("\"split\"", "\"spilt\"")));
    }
}
