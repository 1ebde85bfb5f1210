package dev.thaw.train.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one key, held by whoever builds or deletes its files: an exclusive {@link FileLock} on the lock file
 * {@code <id>.lock} against other processes, and an in-process lock against this JVM's other threads.
 *
 * <p>File locks belong to the whole JVM: a second channel of the same JVM asking for a lock on the same file is
 * refused ({@link java.nio.channels.OverlappingFileLockException}), not made to wait. So threads of one JVM first
 * take the lock of {@link #IN_PROCESS}, the package's one static: it is keyed by the lock file's real path and shared
 * by every {@link FeatureStore} of the JVM, whatever spelling of the folder each was given, because the file locks
 * it stands in front of are shared the same way.
 *
 * <p>A lock file may be deleted, by its holder only ({@link #deleteFile}). A process that was waiting on the deleted
 * file would then hold a lock nobody else can see; so after locking, the holder writes a random token into its
 * channel and reads the file back by its path through a second channel: only if the token is there does the path name
 * the locked file, else it lets go and tries again on the file now at the path. The second channel stays open as long
 * as the lock is held, because on Linux closing any descriptor of a file releases the process's POSIX locks on it.
 */
final class KeyLock implements AutoCloseable {
    /** The in-process lock per lock file (real path); entries are never removed (one small lock per key used). */
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock inProcess;
    private final FileChannel channel;
    private final FileChannel byPath;
    private final Path file;

    private KeyLock(ReentrantLock inProcess, FileChannel channel, FileChannel byPath, Path file) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.byPath = byPath;
        this.file = file;
    }

    /**
     * Waits for the lock on {@code file} (created {@code rw-------} if missing; its folder must exist).
     *
     * @throws IllegalStateException  when this thread holds it already (a builder asking for its own entry)
     * @throws InterruptedIOException when the thread is interrupted while waiting
     */
    static KeyLock acquire(Path file) throws IOException {
        ReentrantLock inProcess = inProcess(file);
        if (inProcess.isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread holds the cache lock " + file + " already: a table's "
                    + "builder may not ask for the table it builds");
        }
        try {
            inProcess.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the cache lock " + file);
        }
        try {
            while (true) {
                FileChannel channel = open(file);
                try {
                    channel.lock();
                    Optional<FileChannel> byPath = byPath(channel, file);
                    if (byPath.isPresent()) {
                        return new KeyLock(inProcess, channel, byPath.get(), file);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    channel.close();
                    throw e;
                }
                channel.close(); // the file was deleted by its holder while this one waited: lock the new one
            }
        } catch (IOException | RuntimeException | Error e) {
            inProcess.unlock();
            throw e;
        }
    }

    /** The lock on {@code file} if nobody holds it now (this thread included), else empty; never waits. */
    static Optional<KeyLock> tryAcquire(Path file) throws IOException {
        ReentrantLock inProcess = inProcess(file);
        if (inProcess.isHeldByCurrentThread() || !inProcess.tryLock()) {
            return Optional.empty();
        }
        try {
            while (true) {
                FileChannel channel = open(file);
                try {
                    if (channel.tryLock() == null) {
                        channel.close();
                        inProcess.unlock();
                        return Optional.empty();
                    }
                    Optional<FileChannel> byPath = byPath(channel, file);
                    if (byPath.isPresent()) {
                        return Optional.of(new KeyLock(inProcess, channel, byPath.get(), file));
                    }
                } catch (IOException | RuntimeException | Error e) {
                    channel.close();
                    throw e;
                }
                channel.close();
            }
        } catch (IOException | RuntimeException | Error e) {
            if (inProcess.isHeldByCurrentThread()) {
                inProcess.unlock();
            }
            throw e;
        }
    }

    private static ReentrantLock inProcess(Path file) throws IOException {
        Path real = file.getParent().toRealPath().resolve(file.getFileName());
        return IN_PROCESS.computeIfAbsent(real, p -> new ReentrantLock());
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PrivateFiles.file());
    }

    /**
     * Writes a fresh token into the locked channel and opens the file at {@code file} again: that second channel when
     * it shows the token (the path names the locked file), else empty (it was deleted or replaced meanwhile).
     */
    private static Optional<FileChannel> byPath(FileChannel channel, Path file) throws IOException {
        byte[] token = new byte[16];
        ThreadLocalRandom.current().nextBytes(token);
        channel.truncate(0);
        ByteBuffer b = ByteBuffer.wrap(token);
        while (b.hasRemaining()) {
            channel.write(b, b.position());
        }
        FileChannel again;
        try {
            again = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ByteBuffer read = ByteBuffer.allocate(token.length + 1);
        while (read.hasRemaining() && again.read(read, read.position()) >= 0) {
            // until the buffer is full or the file ends
        }
        if (Arrays.equals(token, Arrays.copyOf(read.array(), read.position()))) {
            return Optional.of(again);
        }
        again.close(); // another file: this process holds no lock on it (its path's in-process lock is ours)
        return Optional.empty();
    }

    /** Deletes the lock file; only while held (the next taker makes a new one). */
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Lets go of the file lock and the in-process lock. */
    @Override
    public void close() throws IOException {
        try (byPath) {
            channel.close(); // releases the file lock
        } finally {
            inProcess.unlock();
        }
    }
}
