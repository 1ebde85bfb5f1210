package dev.thaw.train.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static dev.thaw.train.cache.Tables.COUNT;
import static dev.thaw.train.cache.Tables.SHAPES;
import static dev.thaw.train.cache.Tables.assertHolds;
import static dev.thaw.train.cache.Tables.counting;
import static dev.thaw.train.cache.Tables.files;
import static dev.thaw.train.cache.Tables.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One builder per key across threads and across real processes, and what a kill -9 while building leaves. */
class FeatureStoreProcessesTest {
    private static final long LARGE = 1L << 30;

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /**
     * Two threads ask two stores (the folder spelled two ways: its path and a link to it) for the same missing key at
     * once: the second waits for the first's lock, then reads what it built.
     */
    @Test
    void twoThreadsAskingForTheSameMissingKeyBuildItOnce() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("cache"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        FeatureStore one = new FeatureStore(dir, LARGE, LARGE);
        FeatureStore two = new FeatureStore(link, LARGE, LARGE);
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TableBuilder builder = out -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            counting(COUNT, SHAPES, new AtomicInteger()).build(out);
        };
        FutureTask<FeatureTable> first = new FutureTask<>(() -> one.table(key("a"), COUNT, SHAPES, builder)
                .orElseThrow());
        FutureTask<FeatureTable> second = new FutureTask<>(() -> two.table(key("a"), COUNT, SHAPES, builder)
                .orElseThrow());
        new Thread(first).start();
        building.await();
        Thread waiter = new Thread(second);
        waiter.start();
        await(() -> waiter.getState() == Thread.State.WAITING, "the second thread to wait for the key's lock");
        release.countDown();
        FeatureTable a = first.get();
        FeatureTable b = second.get();
        assertEquals(1, builds.get());
        assertHolds(a, COUNT, SHAPES);
        assertHolds(b, COUNT, SHAPES);
        assertEquals(Tables.sum(a), Tables.sum(b));
    }

    /**
     * Two processes build the same key at once: the second waits on the lock file (the kernel lists it blocked in
     * /proc/locks), then reads the entry the first wrote.
     */
    @Test
    void twoProcessesBuildingTheSameKeyBuildItOnce() throws Exception {
        Path dir = tmp.resolve("cache");
        Path marker = tmp.resolve("builds.txt");
        Path release = tmp.resolve("release");
        Process a = child("build", dir, marker, release, tmp.resolve("a.log"));
        Process b = child("build", dir, marker, release, tmp.resolve("b.log"));
        await(() -> !lines(marker).isEmpty(), "one child to start building");
        long builder = Long.parseLong(lines(marker).get(0));
        Process waiting = builder == a.pid() ? b : a;
        long inode = (Long) Files.getAttribute(dir.resolve(key("a").id() + ".lock"), "unix:ino");
        await(() -> {
            assertEquals(1, lines(marker).size(), "a second child started building");
            return lines(Path.of("/proc/locks")).stream().anyMatch(l -> l.contains("->")
                    && l.contains(" " + waiting.pid() + " ") && l.contains(":" + inode + " "));
        }, "the other child to wait for the lock (in /proc/locks)");
        Files.createFile(release);
        assertEquals(0, exit(a), Files.readString(tmp.resolve("a.log")));
        assertEquals(0, exit(b), Files.readString(tmp.resolve("b.log")));
        assertEquals(List.of(String.valueOf(builder)), lines(marker), "built once");
        String sum = "sum " + Tables.sum(new FeatureStore(dir, LARGE, 0).table(key("a"), COUNT, SHAPES, out -> {
            throw new AssertionError("the entry is there");
        }).orElseThrow());
        assertEquals(List.of(sum), lines(tmp.resolve("a.log")).stream().filter(l -> l.startsWith("sum")).toList());
        assertEquals(List.of(sum), lines(tmp.resolve("b.log")).stream().filter(l -> l.startsWith("sum")).toList());
    }

    /**
     * A process killed (SIGKILL) in its builder, after writing some values, leaves only its temporary file: no entry,
     * nothing listed; while it lived, clear skipped its key; the next ask builds the whole table and removes the
     * temporary file.
     */
    @Test
    void aKillWhileBuildingLeavesNoHalfEntry() throws Exception {
        Path dir = tmp.resolve("cache");
        Path log = tmp.resolve("child.log");
        Process child = child("block", dir, tmp.resolve("builds.txt"), tmp.resolve("never"), log);
        await(() -> lines(log).contains("blocking"), "the child to block in its builder");
        String id = key("a").id();
        List<Path> partial = files(dir, ".partial");
        assertEquals(1, partial.size());
        assertTrue(partial.get(0).getFileName().toString().startsWith(id + "."), partial.toString());
        assertTrue(Files.size(partial.get(0)) > 0);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(partial.get(0))));
        FeatureStore store = new FeatureStore(dir, LARGE, LARGE);
        assertEquals(new Cleared(0, 0, 0, 1), store.clear(), "the key being built is skipped");
        assertTrue(Files.exists(partial.get(0)));

        child.destroyForcibly();
        assertEquals(137, exit(child), "killed by SIGKILL");
        assertEquals(List.of(), files(dir, ".features"));
        assertEquals(List.of(), store.list());
        assertTrue(Files.exists(partial.get(0)), "the kill left its temporary file");

        AtomicInteger builds = new AtomicInteger();
        FeatureTable table = store.table(key("a"), COUNT, SHAPES, counting(COUNT, SHAPES, builds)).orElseThrow();
        assertEquals(1, builds.get());
        assertHolds(table, COUNT, SHAPES);
        assertEquals(List.of(), files(dir, ".partial"), "the next builder removed it");
        assertEquals(List.of(dir.resolve(id + ".features")), files(dir, ".features"));
        assertFalse(store.list().isEmpty());
    }

    private Process child(String mode, Path dir, Path marker, Path release, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", classpath, CacheChild.class.getName(), mode, dir.toString(), "a", marker.toString(),
                release.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(p);
        return p;
    }

    private static int exit(Process p) throws InterruptedException {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not end");
        return p.exitValue();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until {@code done} holds, failing after two minutes or when a child process has ended meanwhile. */
    private void await(BooleanSupplier done, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.getAsBoolean()) {
            for (Process p : children) {
                if (!p.isAlive()) {
                    throw new AssertionError("a child ended (exit " + p.exitValue() + ") while waiting for " + what);
                }
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
