package dev.thaw.cli;

import dev.thaw.testing.Cli;
import dev.thaw.train.cache.FeatureKey;
import dev.thaw.train.cache.FeatureStore;
import dev.thaw.train.cache.Sizes;
import dev.thaw.train.cache.TableBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code thaw cache} and {@code thaw cache clear} through the real command line, on real cache folders. */
class CacheCommandTest {
    private static final List<long[]> SHAPES = List.of(new long[] {4, 5});

    @TempDir
    Path tmp;

    private static FeatureKey key(String source, String data, String boundary) {
        return new FeatureKey(source, "sha256:5f1e", data, "train", "scale-255", 96, boundary, "sha256:77ab");
    }

    private static TableBuilder filled(int count, long[] shape) {
        return out -> {
            int per = 1;
            for (long d : shape) {
                per *= (int) d;
            }
            out.put(0, 0, new float[count * per]);
        };
    }

    /** Builds an entry of {@code count} examples of {@code shape} and sets its last use; returns its file. */
    private Path entry(Path dir, FeatureKey key, int count, long[] shape, Instant lastUse) throws IOException {
        new FeatureStore(dir, Long.MAX_VALUE, 0).table(key, count, List.of(shape), filled(count, shape))
                .orElseThrow();
        Path file = dir.resolve(key.id() + ".features");
        Files.setLastModifiedTime(file, FileTime.from(lastUse));
        return file;
    }

    private static String local(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(t.atZone(ZoneId.systemDefault()));
    }

    @Test
    void aMissingOrEmptyFolderSaysThereAreNoEntriesAndHowTheyAreMade() throws IOException {
        Path missing = tmp.resolve("missing");
        Cli none = Cli.run("cache", "--dir", missing.toString());
        assertEquals(0, none.exit(), none.toString());
        assertEquals("no cache entries in " + missing + "; studies make them as their trials train, unless their "
                + "study file says cache: {features: off}\n", none.out(), none.toString());
        assertEquals("", none.err());
        Cli empty = Cli.run("cache", "--dir", Files.createDirectory(tmp.resolve("empty")).toString());
        assertEquals(0, empty.exit(), empty.toString());
        assertTrue(empty.out().startsWith("no cache entries in "), empty.toString());
        assertEquals(1, empty.out().lines().count());
        Cli clear = Cli.run("cache", "clear", "--dir", missing.toString());
        assertEquals(0, clear.exit(), clear.toString());
        assertEquals("removed nothing from " + missing + ": it held no entries\n", clear.out());
        assertTrue(Files.notExists(missing), "neither command makes the folder");
    }

    @Test
    void aDirThatIsAFileIsAOneLineError() throws IOException {
        Path file = Files.writeString(tmp.resolve("cache"), "a file");
        for (String[] args : List.of(new String[] {"cache", "--dir", file.toString()},
                new String[] {"cache", "clear", "--dir", file.toString()})) {
            Cli run = Cli.run(args);
            assertEquals(2, run.exit(), run.toString());
            assertEquals("error: " + file + " is a file, not a folder; give --dir the cache folder (output.dir/cache, "
                    + "or the study's cache.dir)\n", run.err(), run.toString());
            assertEquals("", run.out());
        }
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void theListShowsEachEntryEscapedWithHumanSizesAndLocalTimes() throws IOException {
        Path dir = tmp.resolve("cache");
        Instant older = Instant.parse("2026-02-03T04:05:06Z");
        Instant newer = Instant.parse("2026-03-04T05:06:07Z");
        // 9,300 examples of 1,000 floats: 37.2 MB of values
        entry(dir, key("resnet50", "/data/fashion", "res4a_branch2a+res3d"), 9_300, new long[] {1_000}, older);
        FeatureKey hostile = key("\u001b[31mevil\u001b[0m", "folder\u202Eeman", "block\n3");
        Path small = entry(dir, hostile, 3, new long[] {4, 5}, newer);
        Cli list = Cli.run("cache", "--dir", dir.toString());
        assertEquals(0, list.exit(), list.toString());
        String smallSize = Sizes.human(Files.size(small));
        long total = Files.size(small) + Files.size(dir.resolve(key("resnet50", "/data/fashion",
                "res4a_branch2a+res3d").id() + ".features"));
        assertEquals(List.of(
                "2 entries in " + dir + ", " + Sizes.human(total) + ", most recently used first",
                "source                   data              split  boundary              images  size     last use",
                String.format("\\u001b[31mevil\\u001b[0m  folder\\u202eeman  train  block\\u000a3          3       %-7s  %s",
                        smallSize, local(newer)),
                "resnet50                 /data/fashion     train  res4a_branch2a+res3d  9300    37.2 MB  "
                        + local(older)), list.out().lines().toList(), list.toString());
        assertTrue(list.out().chars().noneMatch(c -> c == 0x1b || c == 0x202e), "nothing a terminal acts on");

        Cli all = Cli.run("cache", "--dir", dir.toString(), "--long");
        assertEquals(0, all.exit(), all.toString());
        assertTrue(all.out().contains("\n" + hostile.id() + "\n"
                + "  source              \\u001b[31mevil\\u001b[0m\n"
                + "  source fingerprint  sha256:5f1e\n"
                + "  data                folder\\u202eeman\n"
                + "  split               train\n"
                + "  preprocess          scale-255\n"
                + "  image size          96\n"
                + "  boundary            block\\u000a3\n"
                + "  input fingerprint   sha256:77ab\n"
                + "  images              3\n"
                + "  size                " + smallSize + "\n"
                + "  last use            " + local(newer) + "\n"), all.out());
    }

    @Test
    void clearSaysWhatItRemovedAndWhatItSkipped() throws Exception {
        Path dir = tmp.resolve("cache");
        Instant t = Instant.parse("2026-02-03T04:05:06Z");
        Path a = entry(dir, key("a", "d", "b"), 3, new long[] {4, 5}, t);
        Path b = entry(dir, key("b", "d", "b"), 3, new long[] {4, 5}, t);
        Path dead = Files.write(dir.resolve(key("c", "d", "b").id() + ".0123456789abcdef.partial"), new byte[60]);
        long bytes = Files.size(a) + Files.size(b) + Files.size(dead);
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread builder = new Thread(() -> {
            try {
                new FeatureStore(dir, Long.MAX_VALUE, 0).table(key("being built", "d", "b"), 3, SHAPES, out -> {
                    building.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                    filled(3, SHAPES.get(0)).build(out);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        builder.start();
        building.await();
        Cli clear = Cli.run("cache", "--dir", dir.toString(), "clear");
        assertEquals(0, clear.exit(), clear.toString());
        assertEquals(List.of("removed 2 entries and 1 unfinished file of killed builds (" + Sizes.human(bytes)
                        + ") from " + dir,
                "skipped 1 entry being built right now; once the build is done, run: scripts/thaw cache clear --dir "
                        + dir), clear.out().lines().toList(), clear.toString());
        release.countDown();
        builder.join();
        Cli again = Cli.runPrinted(Cli.printed(clear.out(), "once the build is done, run: "));
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().matches("removed 1 entry \\([0-9.]+ [kM]?B\\) from " + java.util.regex.Pattern.quote(
                dir.toString()) + "\n"), again.toString());
        Cli list = Cli.run("cache", "--dir", dir.toString());
        assertTrue(list.out().startsWith("no cache entries in "), list.toString());
    }
}
