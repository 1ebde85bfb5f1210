package dev.thaw.cli;

import dev.thaw.search.SamplerFactory;
import dev.thaw.study.CacheSpec;
import dev.thaw.study.DataSpec;
import dev.thaw.study.Printable;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.data.ClassCount;
import dev.thaw.train.StudyEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code thaw validate STUDY.yaml}: checks a study file, its source model and its images without running anything. */
@Command(name = "validate", description = "Check a study file: keys, types, ranges, names, conditions and files; the "
        + "source model against the images; the images of every class. Prints the conditions in force, a grid's size, "
        + "the pruner's rungs, the feature cache and the images per class.")
final class ValidateCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @Override
    public Integer call() throws Exception {
        String text = StudyFileReader.text(file);
        StudyEnvironment.Checked checked = CheckedStudy.check(new StudyFileReader().parse(text), text);
        StudySpec spec = checked.spec();
        int layers = checked.blocks();
        List<ClassCount> counts = checked.counts();
        out().printf(Locale.ROOT, "%s is valid: study '%s', %s search over %s, %d trial%s x %d epoch%s, "
                        + "ranked by %s (%s); the source model's backbone has %d blocks (unfreeze_depth 0..%d)%n",
                Printable.of(file.toString()), spec.name(), spec.search().algorithm().key(),
                spec.searched().isEmpty() ? "nothing (all fixed)" : String.join(", ", spec.searched().keySet()),
                spec.search().trials(), spec.search().trials() == 1 ? "" : "s", spec.epochs(),
                spec.epochs() == 1 ? "" : "s", spec.metric().key(), spec.direction().key(), layers, layers);
        SearchSpaceReport space = new SearchSpaceReport(spec);
        space.conditions().ifPresent(out()::println);
        space.grid(new SamplerFactory()).ifPresent(out()::println);
        space.pruner().ifPresent(out()::println);
        out().println(cacheLine(spec));
        cacheWarning(spec).ifPresent(err()::println);
        space.warnings().forEach(err()::println);
        space.prunerWarnings().forEach(err()::println);
        printCounts(counts, spec.data(), out());
        return 0;
    }

    /**
     * The study's feature cache in one line: {@code cache: features auto in results/cache, at most 10 GB}, or
     * {@code cache: off (...)}; the folder escaped for the terminal.
     */
    static String cacheLine(StudySpec spec) {
        CacheSpec cache = spec.cache();
        if (cache.features() == CacheSpec.Features.OFF) {
            return "cache: off (every trial computes its frozen layers itself)";
        }
        return String.format(Locale.ROOT, "cache: features %s in %s, at most %s GB", cache.features().key(),
                Printable.of(cache.dir(spec.output().dir()).toString()), CacheSpec.gb(cache.maxGb()));
    }

    /**
     * A warning when the cache is on but its folder cannot hold entries because it, or a folder above it, is a file:
     * every trial would then compute its frozen layers itself (a run goes on, saying so on each trial's lines).
     */
    static Optional<String> cacheWarning(StudySpec spec) {
        if (spec.cache().features() == CacheSpec.Features.OFF) {
            return Optional.empty();
        }
        Path dir = spec.cache().dir(spec.output().dir());
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return Optional.empty();
            }
            if (Files.exists(p)) {
                return Optional.of("warning: the cache folder " + Printable.of(dir.toString())
                        + (p.equals(dir) ? " is a file" : " cannot be made: " + Printable.of(p.toString()) + " is a file")
                        + ", so every trial computes its frozen layers itself; set cache.dir to a folder");
            }
        }
        return Optional.empty();
    }

    /**
     * The images of each class: found in the training source, then as the study uses them (per_class of them, split
     * into train and validation, or dealt into k folds), and in the test split when there is one.
     */
    static void printCounts(List<ClassCount> counts, DataSpec data, PrintWriter out) {
        boolean test = counts.stream().anyMatch(c -> c.test().isPresent());
        int k = data.folds();
        int used = counts.stream().mapToInt(ClassCount::used).sum();
        out.printf(Locale.ROOT, "images: %d classes, %d found, %d used%s%s%n", counts.size(),
                counts.stream().mapToInt(ClassCount::found).sum(), used,
                k > 1 ? " in " + k + " folds" : " (" + counts.stream().mapToInt(ClassCount::train).sum() + " train, "
                        + counts.stream().mapToInt(ClassCount::held).sum() + " validation)",
                test ? ", " + counts.stream().mapToInt(c -> c.test().orElse(0)).sum() + " test" : "");
        int width = Math.max(5, counts.stream().mapToInt(c -> Printable.of(c.name()).length()).max().orElse(0));
        String format = "  %-" + width + "s %7s %7s %10s%s%n";
        out.printf(Locale.ROOT, format, "class", "found", k > 1 ? "used" : "train", k > 1 ? "per fold" : "validation",
                test ? String.format(Locale.ROOT, " %6s", "test") : "");
        for (ClassCount c : counts) {
            String fold = c.used() / k == (c.used() + k - 1) / k ? String.valueOf(c.used() / k)
                    : c.used() / k + "-" + (c.used() + k - 1) / k;
            out.printf(Locale.ROOT, format, Printable.of(c.name()), c.found(), k > 1 ? c.used() : c.train(),
                    k > 1 ? fold : String.valueOf(c.held()),
                    test ? String.format(Locale.ROOT, " %6d", c.test().getAsInt()) : "");
        }
    }
}
