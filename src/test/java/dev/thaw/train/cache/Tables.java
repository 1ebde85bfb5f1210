package dev.thaw.train.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test tables: a key per name, known values per tensor and example, and builders that count their runs. */
final class Tables {
    /** Two tensors per example, as a graph boundary crossed by two activations: 2x3 values and 5 values. */
    static final List<long[]> SHAPES = List.of(new long[] {2, 3}, new long[] {5});
    static final int COUNT = 7;

    private Tables() {
    }

    static FeatureKey key(String name) {
        return new FeatureKey("source-" + name, "sha256:aa", "fashion-mnist", "train", "scale-255", 28, "block 3",
                "sha256:bb");
    }

    /** The value {@code i} of example {@code e} of tensor {@code t}: distinct for every position. */
    static float value(int t, int e, int i) {
        return t * 10_000 + e * 100 + i + 0.25f;
    }

    static float[] example(List<long[]> shapes, int t, int e) {
        long n = 1;
        for (long d : shapes.get(t)) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(t, e, i);
        }
        return v;
    }

    /** A builder of the known values that counts its runs; writes examples from last to first (any order is fine). */
    static TableBuilder counting(int count, List<long[]> shapes, AtomicInteger builds) {
        return out -> {
            builds.incrementAndGet();
            for (int t = 0; t < shapes.size(); t++) {
                for (int e = count - 1; e >= 0; e--) {
                    out.put(t, e, example(shapes, t, e));
                }
            }
        };
    }

    /** Fails unless {@code table} holds the known values of {@code count} examples of {@code shapes}. */
    static void assertHolds(FeatureTable table, int count, List<long[]> shapes) {
        assertEquals(count, table.count());
        assertEquals(shapes.size(), table.shapes().size());
        for (int t = 0; t < shapes.size(); t++) {
            assertArrayEquals(shapes.get(t), table.shapes().get(t));
            for (int e = 0; e < count; e++) {
                float[] expected = example(shapes, t, e);
                float[] into = new float[expected.length + 2];
                table.read(t, e, into, 1);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(into, 1, 1 + expected.length),
                        "tensor " + t + " example " + e);
            }
        }
    }

    /** The sum of every value of the table, as a fingerprint a child process can print. */
    static double sum(FeatureTable table) {
        double sum = 0;
        for (int t = 0; t < table.shapes().size(); t++) {
            long n = 1;
            for (long d : table.shapes().get(t)) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int e = 0; e < table.count(); e++) {
                table.read(t, e, v, 0);
                for (float x : v) {
                    sum += x;
                }
            }
        }
        return sum;
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static void appendLine(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A clock that moves one second forward every time it is read, so that every use has its own time. */
    static final class TickingClock extends Clock {
        private final AtomicInteger ticks = new AtomicInteger();
        private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(ticks.incrementAndGet());
        }
    }
}
