package dev.thaw.train.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process that asks a store for test table {@code NAME}, for {@link FeatureStoreProcessesTest}:
 * {@code CacheChild build|block DIR NAME MARKER RELEASE}. Its builder appends this process's pid to MARKER, then
 * with {@code build} waits until the file RELEASE exists and writes the table, and with {@code block} writes two
 * examples, prints {@code blocking} and waits to be killed. When it has the table it prints {@code sum S}.
 */
public final class CacheChild {
    private CacheChild() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        Path marker = Path.of(args[3]);
        Path release = Path.of(args[4]);
        FeatureStore store = new FeatureStore(dir, 1L << 30, 0);
        FeatureTable table = store.table(Tables.key(args[2]), Tables.COUNT, Tables.SHAPES, out -> {
            Tables.appendLine(marker, String.valueOf(ProcessHandle.current().pid()));
            if (mode.equals("block")) {
                out.put(0, 0, Tables.example(Tables.SHAPES, 0, 0));
                out.put(1, 3, Tables.example(Tables.SHAPES, 1, 3));
                System.out.println("blocking");
                System.out.flush();
                sleepUntil(release);
            }
            sleepUntil(release);
            Tables.counting(Tables.COUNT, Tables.SHAPES, new AtomicInteger()).build(out);
        }).orElseThrow();
        System.out.println("sum " + Tables.sum(table));
    }

    private static void sleepUntil(Path file) throws InterruptedIOException {
        while (!Files.exists(file)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }
    }
}
