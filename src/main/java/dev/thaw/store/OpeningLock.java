package dev.thaw.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * Lets one process (and one thread) at a time open an embedded database: make its credentials, move an old one to
 * passwords, migrate it and give Thaw's user its rights. H2 lets two processes do that at once and then fails one of
 * them ("object already exists", "concurrent update"); a study's run and a {@code thaw trials} beside it do meet
 * there. An operating-system lock on {@code thaw.opening.lock} beside the database, held for the opening only (about
 * a second), released by the system if the process dies.
 */
final class OpeningLock implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final FileChannel channel;
    private final FileLock lock;

    private OpeningLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** No lock: a database elsewhere, which its server serialises. */
    static OpeningLock none() {
        return new OpeningLock(null, null);
    }

    /**
     * Waits (up to a minute) for the lock of the database in {@code folder}.
     *
     * @throws StoreException when another opening holds it that long, or the lock file cannot be made
     */
    static OpeningLock take(Path folder) {
        Path file = folder.resolve("thaw.opening.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException io) {
                throw new StoreException("cannot make " + file + ": " + io.getMessage(), io);
            }
        } catch (IOException e) {
            throw new StoreException("cannot make " + file + ": " + e.getMessage() + "; is " + folder
                    + " writable by this user?", e);
        }
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        try {
            while (true) {
                try {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        return new OpeningLock(channel, lock);
                    }
                } catch (OverlappingFileLockException e) {
                    // another thread of this process is opening it
                }
                if (System.nanoTime() > giveUp) {
                    throw new StoreException("another process has been opening the database in " + folder
                            + " for a minute; if none is, remove " + file + " and try again");
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof StoreException se ? se
                    : new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }
}
