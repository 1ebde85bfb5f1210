package dev.thaw.cli;

import dev.thaw.study.Printable;
import dev.thaw.study.SuggestedCommand;
import dev.thaw.train.cache.Cleared;
import dev.thaw.train.cache.EntryInfo;
import dev.thaw.train.cache.FeatureKey;
import dev.thaw.train.cache.FeatureStore;
import dev.thaw.train.cache.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code thaw cache [--dir DIR] [--long]}: the frozen-feature cache's entries; {@code thaw cache clear} empties it. */
@Command(name = "cache", description = "List the entries of the frozen-feature cache (activations of the frozen "
        + "layers, computed once and shared by trials and studies); 'cache clear' deletes them.",
        subcommands = CacheCommand.Clear.class)
final class CacheCommand extends ThawCommand {
    /** The cache folder of the default output.dir. */
    static final String DEFAULT_DIR = "results/cache";
    private static final DateTimeFormatter LAST_USE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
            description = "The cache folder: output.dir/cache, or the study's cache.dir (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--long", description = "Show every field of each entry's key, and its id (its files' name).")
    boolean all;

    @Override
    public Integer call() throws Exception {
        List<EntryInfo> entries = store(dir).list();
        if (entries.isEmpty()) {
            out().println("no cache entries in " + Printable.of(dir.toString()) + "; studies make them as their "
                    + "trials train, unless their study file says cache: {features: off}");
            return 0;
        }
        long bytes = entries.stream().mapToLong(EntryInfo::bytes).sum();
        out().printf("%d %s in %s, %s, most recently used first%n", entries.size(),
                entries.size() == 1 ? "entry" : "entries", Printable.of(dir.toString()), Sizes.human(bytes));
        if (all) {
            entries.forEach(e -> printLong(out(), e));
        } else {
            printTable(out(), entries);
        }
        return 0;
    }

    private static void printTable(PrintWriter out, List<EntryInfo> entries) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("source", "data", "split", "boundary", "images", "size", "last use"));
        for (EntryInfo e : entries) {
            rows.add(List.of(Printable.of(e.key().source()), Printable.of(e.key().data()), Printable.of(e.key().split()),
                    Printable.of(e.key().boundary()), String.valueOf(e.images()), Sizes.human(e.bytes()), lastUse(e)));
        }
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", r.get(i))).append(i + 1 < r.size() ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void printLong(PrintWriter out, EntryInfo e) {
        FeatureKey k = e.key();
        out.println();
        out.println(k.id());
        List<String[]> fields = List.of(new String[] {"source", k.source()},
                new String[] {"source fingerprint", k.sourceFingerprint()}, new String[] {"data", k.data()},
                new String[] {"split", k.split()}, new String[] {"preprocess", k.preprocess()},
                new String[] {"image size", String.valueOf(k.imageSize())}, new String[] {"boundary", k.boundary()},
                new String[] {"input fingerprint", k.inputFingerprint()});
        fields.forEach(f -> out.printf("  %-19s %s%n", f[0], Printable.of(f[1])));
        out.printf("  %-19s %d%n", "images", e.images());
        out.printf("  %-19s %s%n", "size", Sizes.human(e.bytes()));
        out.printf("  %-19s %s%n", "last use", lastUse(e));
    }

    private static String lastUse(EntryInfo e) {
        return LAST_USE.format(e.lastUse().atZone(ZoneId.systemDefault()));
    }

    /** The store over {@code dir}, which must be a folder or missing (a missing folder holds no entries). */
    static FeatureStore store(Path dir) throws UserException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserException(dir + " is a file, not a folder; give --dir the cache "
                    + "folder (output.dir/cache, or the study's cache.dir)");
        }
        // listing and clearing need no budget: no table is written
        return new FeatureStore(dir, Long.MAX_VALUE, 0);
    }

    /** {@code thaw cache clear [--dir DIR]}. */
    @Command(name = "clear", description = "Delete every cache entry, and what builds killed part way left, except "
            + "the entries being built right now.")
    static final class Clear extends ThawCommand {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The cache folder (default: that of 'thaw cache', " + DEFAULT_DIR + ").")
        Path dir;

        @ParentCommand
        CacheCommand parent;

        @Override
        public Integer call() throws Exception {
            Path folder = dir != null ? dir : parent.dir;
            Cleared cleared = store(folder).clear();
            String where = Printable.of(folder.toString());
            if (cleared.entries() == 0 && cleared.partial() == 0) {
                out().println("removed nothing from " + where + ": it held no entries");
            } else {
                out().printf("removed %d %s%s (%s) from %s%n", cleared.entries(),
                        cleared.entries() == 1 ? "entry" : "entries",
                        cleared.partial() == 0 ? "" : " and " + cleared.partial() + " unfinished "
                                + (cleared.partial() == 1 ? "file" : "files") + " of killed builds",
                        Sizes.human(cleared.bytes()), where);
            }
            if (cleared.skipped() > 0) {
                out().printf("skipped %d %s being built right now; once the build is done, run: %s%n",
                        cleared.skipped(), cleared.skipped() == 1 ? "entry" : "entries",
                        SuggestedCommand.of("cache", "clear", "--dir", folder.toString()));
            }
            return 0;
        }
    }
}
