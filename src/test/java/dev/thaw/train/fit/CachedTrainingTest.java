package dev.thaw.train.fit;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import dev.thaw.train.cache.EntryInfo;
import dev.thaw.train.cache.FeatureStore;
import dev.thaw.train.cache.Sizes;
import dev.thaw.train.data.TargetData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial on cached frozen features computes what the same trial computes through the whole network: the same metrics
 * every epoch and the same trained weights, within float rounding (tolerance 1e-4 relative: the frozen part's outputs
 * come from other batches than the trial's, which moves the last bits of a convolution's sums, and training carries
 * that over a few hundred steps). The cache is used only where that holds, and an entry is keyed by everything the
 * features depend on.
 */
class CachedTrainingTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private String study(int epochs, String extra) {
        return StudyFiles.tiny("c", Fixture.get().data, Fixture.get().sourceModel, dir, 1, epochs) + extra;
    }

    private static StudySpec parse(String text) throws Exception {
        return new StudyFileReader().parse(text);
    }

    private static Assignment recipe(int depth, int headEpochs, String augment) {
        return new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8, "dropout", 0.2, "optimizer", "adam",
                "unfreeze_depth", depth, "head_epochs", headEpochs, "augment", augment));
    }

    /** A control that records each epoch and each note. */
    private static final class Recording implements TrialControl {
        final List<MetricPoint> points = Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public PruneDecision epochFinished(MetricPoint point) {
            points.add(point);
            return PruneDecision.CONTINUE;
        }

        @Override
        public Optional<String> stopReason() {
            return Optional.empty();
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }
    }

    private record Run(Recording control, float[] params, dev.thaw.study.TrialResult result) {
    }

    private static Run run(StudySpec spec, Assignment a) throws Exception {
        Recording control = new Recording();
        TrialOutcome.Finished done = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(a, control).finished();
        float[] params = ((KeptNetwork) done.model()).network().params().dup().ravel().toFloatVector();
        return new Run(control, params, done.result());
    }

    @Test
    void headOnlyAndThawedTrialsAgreeWithAndWithoutTheCache() throws Exception {
        for (Assignment a : List.of(recipe(0, 0, "none"), recipe(2, 1, "none"), recipe(1, 0, "none"))) {
            Run cached = run(parse(study(3, "")), a);
            Run full = run(parse(study(3, "cache:\n  features: off\n")), a);
            assertTrue(cached.control().notes.stream().anyMatch(n -> n.startsWith("trains on cached features below")),
                    a + ": " + cached.control().notes);
            assertFalse(full.control().notes.stream().anyMatch(n -> n.contains("cached")), full.control().notes::toString);
            agree(cached, full, a.toString());
        }
    }

    @Test
    void foldsAgreeWithAndWithoutTheCacheAndEachFoldHasItsEntries() throws Exception {
        String withFolds = study(2, "validation:\n  folds: 2\n");
        Run cached = run(parse(withFolds), recipe(0, 0, "none"));
        Run full = run(parse(withFolds + "cache:\n  features: off\n"), recipe(0, 0, "none"));
        agree(cached, full, "2 folds");
        Set<String> splits = entries(parse(withFolds)).stream().map(e -> e.key().split()).collect(
                Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("fold 1 of 2 train", "fold 1 of 2 validation", "fold 2 of 2 train",
                "fold 2 of 2 validation"), splits);
    }

    @Test
    void augmentationKeepsTheCacheOut() throws Exception {
        StudySpec spec = parse(study(1, ""));
        Run run = run(spec, recipe(0, 0, "light"));
        assertFalse(run.control().notes.stream().anyMatch(n -> n.contains("cached")), run.control().notes::toString);
        assertTrue(entries(spec).isEmpty(), "nothing was cached");
    }

    @Test
    void theBoundaryNamesItsEntryAndMovesWithTheThaw() throws Exception {
        StudySpec spec = parse(study(2, ""));
        run(spec, recipe(0, 0, "none"));
        Set<String> headOnly = boundaries(spec);
        assertEquals(1, headOnly.size(), headOnly::toString);
        run(spec, recipe(1, 1, "none")); // head-only epoch 1 reuses the entry; after the thaw, a lower boundary
        Set<String> both = boundaries(spec);
        assertEquals(2, both.size(), both::toString);
        assertTrue(both.containsAll(headOnly));
    }

    /** Each thing the features depend on changes the key: a new entry, not a reused one. */
    @Test
    void theKeyChangesWithSourceDataSplitPreprocessingAndSize() throws Exception {
        String base = study(1, "");
        List<String> variants = List.of(base,
                base.replace("per_class: 20", "per_class: 18"),                  // data
                base.replace("seed: 5\n", "seed: 6\n"),                             // split
                base.replace("  image_size: 12\n", "  image_size: 12\n  preprocess: signed\n"), // preprocessing
                base.replace("image_size: 12", "image_size: 11"));                 // size
        Set<String> ids = new TreeSet<>();
        Set<String> sources = new TreeSet<>();
        for (String v : variants) {
            StudySpec spec = parse(v);
            run(spec, recipe(0, 0, "none"));
            for (EntryInfo e : entries(spec)) {
                ids.add(e.key().id());
                sources.add(e.key().sourceFingerprint());
            }
        }
        assertEquals(2 * variants.size(), ids.size(), "a train and a validation entry for each variant");
        // another source model: the same architecture, other weights
        Path other = dir.resolve("other.zip");
        new Pretrainer().pretrain(dev.thaw.study.DataSpec.idx(new dev.thaw.study.ImageSource.Idx(
                        Fixture.get().data.trainImages, Fixture.get().data.trainLabels, Optional.empty(),
                        Optional.empty()), List.of(0, 1), 30, 0.2, Fixture.IMAGE_SIZE), 1, 12, other, p -> { });
        StudySpec spec = parse(base.replace(Fixture.get().sourceModel.toString(), other.toString()));
        run(spec, recipe(0, 0, "none"));
        Set<String> after = entries(spec).stream().map(e -> e.key().sourceFingerprint()).collect(
                Collectors.toCollection(TreeSet::new));
        after.removeAll(sources);
        assertEquals(1, after.size(), "the other source's fingerprint");
        assertEquals(2 * variants.size() + 2, entries(spec).size());
    }

    /** Two slots starting the same kind of trial at once build each entry once, and both train on it. */
    @Test
    void twoSlotsBuildAnEntryOnce() throws Exception {
        StudySpec spec = parse(study(1, ""));
        Dl4jTrialTrainer trainer = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()));
        trainer.train(recipe(3, 0, "none"), TrialControl.NONE); // loads the source model before the race
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService slots = Executors.newFixedThreadPool(2);
        try {
            List<Future<Recording>> runs = new ArrayList<>();
            for (int slot = 0; slot < 2; slot++) {
                runs.add(slots.submit(() -> {
                    Recording control = new Recording();
                    start.await();
                    trainer.train(recipe(0, 0, "none"), control);
                    return control;
                }));
            }
            start.countDown();
            List<String> notes = new ArrayList<>();
            for (Future<Recording> r : runs) {
                Recording control = r.get();
                assertTrue(control.notes.stream().anyMatch(n -> n.startsWith("trains on cached features")));
                notes.addAll(control.notes);
            }
            long built = notes.stream().filter(n -> n.startsWith("caching frozen features below")).count();
            assertEquals(2, built, "the train and the validation entry, each built by one slot: " + notes);
        } finally {
            slots.shutdownNow();
        }
    }

    /**
     * The trial lines give an entry the size {@code thaw cache} lists for it (its file, header included, in the
     * listing's units), both while building it and when it is too large for {@code cache.max_gb}, which they name.
     */
    @Test
    void theTrialLinesGiveTheSizeTheListingGives() throws Exception {
        StudySpec spec = parse(study(1, ""));
        Run built = run(spec, recipe(0, 0, "none"));
        EntryInfo train = entries(spec).stream().filter(e -> e.key().split().equals("train")).findFirst().orElseThrow();
        String boundary = train.key().boundary();
        String building = String.format("caching frozen features below %s for %d train images (%s; once, later "
                + "trials reuse them)", boundary, train.images(), Sizes.human(train.bytes()));
        assertTrue(built.control().notes.contains(building), building + " in " + built.control().notes);

        StudySpec small = parse(study(1, "cache:\n  dir: " + dir.resolve("small") + "\n  max_gb: 0.000001\n"));
        Run refused = run(small, recipe(0, 0, "none"));
        String tooLarge = String.format("frozen features below %s not cached: %s is more than cache.max_gb (1.0 kB); "
                + "raise it to reuse them", boundary, Sizes.human(train.bytes()));
        assertTrue(refused.control().notes.contains(tooLarge), tooLarge + " in " + refused.control().notes);
        assertTrue(entries(small).isEmpty(), "nothing was cached");
    }

    private static List<EntryInfo> entries(StudySpec spec) throws Exception {
        return new FeatureStore(spec.cache().dir(spec.output().dir()), Long.MAX_VALUE, 0).list();
    }

    private static Set<String> boundaries(StudySpec spec) throws Exception {
        return entries(spec).stream().map(e -> e.key().boundary()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void agree(Run cached, Run full, String what) {
        List<MetricPoint> a = cached.control().points;
        List<MetricPoint> b = full.control().points;
        assertEquals(b.size(), a.size(), what);
        for (int i = 0; i < a.size(); i++) {
            close(b.get(i).trainLoss(), a.get(i).trainLoss(), what + " epoch " + (i + 1) + " train loss");
            close(b.get(i).validationLoss(), a.get(i).validationLoss(), what + " epoch " + (i + 1) + " validation loss");
            assertEquals(b.get(i).validationAccuracy(), a.get(i).validationAccuracy(), 1e-9, what + " accuracy");
        }
        assertTrue(java.util.Arrays.deepEquals(full.result().validation().confusion(),
                cached.result().validation().confusion()), what + ": the final confusion matrix");
        assertEquals(full.params().length, cached.params().length);
        for (int i = 0; i < full.params().length; i++) {
            close(full.params()[i], cached.params()[i], what + ": weight " + i);
        }
        assertNotEquals(0, cached.params().length);
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }
}
