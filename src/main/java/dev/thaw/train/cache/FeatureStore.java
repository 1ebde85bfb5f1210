package dev.thaw.train.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The frozen-feature cache of one folder: tables of activations by {@link FeatureKey}, held on the heap within
 * {@code memoryBytes} and on disk within {@code maxBytes}. Thread-safe; any number of stores (in this and other
 * processes on this machine) may share a folder.
 *
 * <p>On disk an entry is the file {@code <id>.features} ({@link EntryFormat}), read through memory maps; it is written
 * as {@code <id>.<random>.partial} and renamed into place ({@link EntryWriter}), so it is whole or absent. Its lock
 * file {@code <id>.lock} ({@link KeyLock}) is held by whoever builds or deletes it. Its last use is its file's
 * modification time, set whenever it is written or opened; after every write the least recently used entries are
 * deleted until the folder's entries total at most {@code maxBytes}. The folder is made {@code rwx------} when the
 * store makes it, the files {@code rw-------}.
 */
public final class FeatureStore {
    static final String ENTRY = ".features";
    static final String LOCK = ".lock";
    private static final Pattern FILE = Pattern.compile("([0-9a-f]{32})(\\.features|\\.lock|\\.[0-9a-f]{16}\\.partial)");

    private final Path dir;
    private final long maxBytes;
    private final MemoryTier memory;
    private final Clock clock;
    private final long mapLimit;

    /**
     * A store over {@code dir} (made when the first table is written, not before).
     *
     * @param maxBytes    the most bytes the folder's entries may hold (a larger table is not cached)
     * @param memoryBytes the most bytes of values held on the heap; 0 holds none
     */
    public FeatureStore(Path dir, long maxBytes, long memoryBytes) {
        this(dir, maxBytes, memoryBytes, Clock.systemUTC(), Integer.MAX_VALUE);
    }

    /** As the public constructor, with the clock that stamps last use and the most bytes one memory map holds. */
    FeatureStore(Path dir, long maxBytes, long memoryBytes, Clock clock, long mapLimit) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (maxBytes < 0 || memoryBytes < 0 || mapLimit < Float.BYTES) {
            throw new IllegalArgumentException("maxBytes >= 0, memoryBytes >= 0 and mapLimit >= 4 must hold, got "
                    + "maxBytes=" + maxBytes + ", memoryBytes=" + memoryBytes + ", mapLimit=" + mapLimit);
        }
        this.maxBytes = maxBytes;
        this.memory = new MemoryTier(memoryBytes);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapLimit = mapLimit;
    }

    /** The folder the entries live in. */
    public Path dir() {
        return dir;
    }

    /**
     * The size of the entry file of {@code key}'s table, header included: what {@link #list} shows once it is written,
     * and what is weighed against {@link #maxBytes}.
     *
     * @throws IllegalArgumentException for a count below 1 or an empty or non-positive shape
     */
    public static long entryBytes(FeatureKey key, int count, List<long[]> shapes) {
        return entryBytes(Objects.requireNonNull(key, "key"), new TableLayout(count, shapes));
    }

    private static long entryBytes(FeatureKey key, TableLayout layout) {
        return EntryFormat.header(key, layout).capacity() + layout.dataBytes();
    }

    /** The most bytes the folder's entries may hold ({@code cache.max_gb} in bytes). */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The table for {@code key}, of {@code count} examples with tensors of {@code shapes} (per example, without the
     * example dimension): from this store's memory, else from its disk entry, else built by {@code builder} once
     * (one builder across this process's threads and other processes on this machine: the others wait for its lock
     * and then read the entry), written to a temporary file, forced to disk and atomically renamed. An entry file
     * that is damaged, short, or holds another key or layout is deleted and built again. Sets the entry's last use.
     *
     * @return empty when the table alone (header and values) is larger than {@code maxBytes}: nothing is written and
     * the caller goes without the cache
     * @throws IllegalArgumentException for a count below 1 or an empty or non-positive shape
     * @throws IOException              when the folder cannot be made or read, or the builder fails (nothing is
     *                                  left of its entry then)
     */
    public Optional<FeatureTable> table(FeatureKey key, int count, List<long[]> shapes, TableBuilder builder)
            throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(builder, "builder");
        TableLayout layout = new TableLayout(count, shapes);
        if (entryBytes(key, layout) > maxBytes) {
            return Optional.empty();
        }
        String id = key.id();
        Path entry = dir.resolve(id + ENTRY);
        Optional<FeatureTable> held = memory.get(id, key, layout);
        if (held.isPresent()) {
            touch(entry);
            return held;
        }
        Optional<FeatureTable> found;
        try {
            found = open(entry, key, layout, true);
        } catch (EntryFormat.DamagedException e) {
            found = Optional.empty(); // deleted and rebuilt below, under the key's lock
        }
        if (found.isPresent()) {
            return found;
        }
        PrivateFiles.createFolder(dir);
        FeatureTable built;
        try (KeyLock lock = KeyLock.acquire(dir.resolve(id + LOCK))) {
            try {
                found = open(entry, key, layout, true); // built by whoever held the lock before
            } catch (EntryFormat.DamagedException e) {
                Files.deleteIfExists(entry);
            }
            if (found.isPresent()) {
                return found;
            }
            deletePartials(id);
            EntryWriter.write(entry, key, layout, builder);
            built = open(entry, key, layout, false).orElseThrow(() -> new IOException(
                    "the cache entry " + entry + " vanished right after it was written"));
        }
        evict(id);
        return Optional.of(built);
    }

    /**
     * Opens the entry at {@code entry} if it exists and holds {@code key} with {@code layout}, sets its last use, and
     * holds it in memory if it fits there.
     *
     * @throws EntryFormat.DamagedException when it exists but is not a whole entry for them (only the lock holder may
     *                                      delete it)
     */
    private Optional<FeatureTable> open(Path entry, FeatureKey key, TableLayout layout, boolean verify)
            throws IOException {
        MappedTable mapped;
        try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            EntryFormat.Header header = EntryFormat.read(channel);
            if (!header.key().equals(key) || !header.layout().sameAs(layout)) {
                throw new EntryFormat.DamagedException("it holds " + header.key() + " " + header.layout()
                        + ", not " + key + " " + layout);
            }
            mapped = MappedTable.map(channel, header, verify, mapLimit);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isSymbolicLink(entry)) { // a link is never followed: refused like a damaged file
                throw new EntryFormat.DamagedException("it is a symbolic link");
            }
            throw e;
        }
        touch(entry);
        if (!memory.takes(layout)) {
            return Optional.of(mapped);
        }
        HeapTable copy = HeapTable.copy(mapped, layout);
        memory.put(key.id(), key, copy);
        return Optional.of(copy);
    }

    private void touch(Path entry) throws IOException {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(clock.instant()));
        } catch (NoSuchFileException e) {
            // evicted or cleared meanwhile by another process; what was read stays valid
        }
    }

    private void deletePartials(String id) throws IOException {
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, id + ".*" + EntryWriter.PARTIAL)) {
            for (Path p : partials) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes least recently used entries (never {@code keep}) until the entries total at most maxBytes. */
    private void evict(String keep) throws IOException {
        record Sized(Path file, String id, long bytes, Instant lastUse) {
        }
        List<Sized> entries = new ArrayList<>();
        long total = 0;
        for (Path file : files()) {
            Matcher m = FILE.matcher(file.getFileName().toString());
            if (m.matches() && m.group(2).equals(ENTRY)) {
                Optional<BasicFileAttributes> a = attributes(file);
                if (a.isPresent()) {
                    entries.add(new Sized(file, m.group(1), a.get().size(), a.get().lastModifiedTime().toInstant()));
                    total += a.get().size();
                }
            }
        }
        entries.sort(Comparator.comparing(Sized::lastUse).thenComparing(Sized::id));
        for (Sized s : entries) {
            if (total <= maxBytes) {
                return;
            }
            if (!s.id().equals(keep)) {
                Files.deleteIfExists(s.file()); // safe while mapped elsewhere: the maps keep the file
                Optional<KeyLock> lock = KeyLock.tryAcquire(dir.resolve(s.id() + LOCK));
                if (lock.isPresent()) {
                    try (KeyLock held = lock.get()) {
                        held.deleteFile();
                    }
                }
                total -= s.bytes();
            }
        }
    }

    /** Every entry on disk, most recently used first; files that are not whole entries are left out. */
    public List<EntryInfo> list() throws IOException {
        List<EntryInfo> infos = new ArrayList<>();
        for (Path file : files()) {
            Matcher m = FILE.matcher(file.getFileName().toString());
            if (!m.matches() || !m.group(2).equals(ENTRY)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                EntryFormat.Header header = EntryFormat.read(channel);
                Optional<BasicFileAttributes> a = attributes(file);
                if (a.isPresent()) {
                    infos.add(new EntryInfo(header.key(), header.layout().count(), a.get().size(),
                            a.get().lastModifiedTime().toInstant()));
                }
            } catch (NoSuchFileException | EntryFormat.DamagedException e) {
                // deleted meanwhile, or not a whole entry (the next table() of its key replaces it)
            } catch (IOException e) {
                if (!Files.isSymbolicLink(file)) {
                    throw e;
                }
            }
        }
        infos.sort(Comparator.comparing(EntryInfo::lastUse).reversed());
        return infos;
    }

    /**
     * Deletes every entry, every temporary file of a build that died, and their lock files, except those of keys whose
     * lock a builder holds right now (counted in {@link Cleared#skipped}); forgets the tables held in memory. A
     * missing folder clears nothing.
     */
    public Cleared clear() throws IOException {
        memory.clear();
        TreeMap<String, List<Path>> byId = new TreeMap<>();
        for (Path file : files()) {
            Matcher m = FILE.matcher(file.getFileName().toString());
            if (m.matches()) {
                byId.computeIfAbsent(m.group(1), id -> new ArrayList<>()).add(file);
            }
        }
        int entries = 0;
        int partial = 0;
        long bytes = 0;
        int skipped = 0;
        for (var e : byId.entrySet()) {
            boolean lockOnly = e.getValue().stream().allMatch(p -> p.getFileName().toString().endsWith(LOCK));
            Optional<KeyLock> lock = KeyLock.tryAcquire(dir.resolve(e.getKey() + LOCK));
            if (lock.isEmpty()) {
                skipped += lockOnly ? 0 : 1;
                continue;
            }
            try (KeyLock held = lock.get()) {
                for (Path file : e.getValue()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(LOCK)) {
                        continue;
                    }
                    Optional<BasicFileAttributes> a = attributes(file);
                    if (a.isPresent() && Files.deleteIfExists(file)) {
                        bytes += a.get().size();
                        if (name.endsWith(ENTRY)) {
                            entries++;
                        } else {
                            partial++;
                        }
                    }
                }
                held.deleteFile();
            }
        }
        return new Cleared(entries, partial, bytes, skipped);
    }

    /** The regular files directly in the folder (none if it does not exist). */
    private List<Path> files() throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            all.forEach(files::add);
        }
        return files;
    }

    private static Optional<BasicFileAttributes> attributes(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? Optional.of(a) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** What the heap holds now, in bytes of values (for tests). */
    long memoryBytes() {
        return memory.bytes();
    }
}
