package dev.thaw.train.fit;

import dev.thaw.study.Assignment;
import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import dev.thaw.train.data.TargetData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paused trial resumed on cached features continues as it would without the cache, even when its checkpoint's frozen
 * layers are not those of the source model the study loads now (its file was replaced while the trial was paused):
 * the features of the new source are not the checkpoint's, so the trial computes its frozen layers itself, and it
 * leaves no entry of the old weights under the new source's key for later trials to read.
 */
class CachedResumeTest {
    private static final Assignment HEAD_ONLY = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.2, "optimizer", "adam", "unfreeze_depth", 0));
    private static final Assignment THAWED = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.2, "optimizer", "adam", "unfreeze_depth", 1, "head_epochs", 1));

    @TempDir
    Path dir;

    private StudySpec spec(Path source, String cache) throws Exception {
        return new StudyFileReader().parse(StudyFiles.tiny("r", Fixture.get().data, source, dir, 1, 3) + cache);
    }

    @Test
    void aTrialResumedAfterItsSourceWasReplacedComputesWhatItWouldWithoutTheCache() throws Exception {
        for (Assignment recipe : List.of(HEAD_ONLY, THAWED)) {
            Path source = dir.resolve("source.zip");
            Files.copy(Fixture.get().sourceModel, source, StandardCopyOption.REPLACE_EXISTING);
            StudySpec cached = spec(source, "");
            StudySpec off = spec(source, "cache:\n  features: off\n");
            Path withCache = dir.resolve("cached-" + recipe.unfreezeDepth());
            Path without = dir.resolve("uncached-" + recipe.unfreezeDepth());
            trainer(cached).train(recipe, new Scripted(withCache, OptionalInt.empty(), 1));
            copy(withCache, without);

            Files.copy(other(), source, StandardCopyOption.REPLACE_EXISTING); // same architecture, other weights
            trainer(cached).train(recipe, TrialControl.NONE); // a new trial on the new source fills the cache

            Scripted resumed = new Scripted(withCache, OptionalInt.of(1), 0);
            trainer(cached).train(recipe, resumed);
            Scripted reference = new Scripted(without, OptionalInt.of(1), 0);
            trainer(off).train(recipe, reference);
            assertEquals(reference.epochs, resumed.epochs, recipe + ": the epochs after the resume");
            assertTrue(resumed.notes.stream().anyMatch(n -> n.contains("not the source model's")), resumed.notes::toString);

            // and the cache holds only the new source's features: a fresh trial still agrees with an uncached one
            Scripted fresh = new Scripted(dir.resolve("fresh-" + recipe.unfreezeDepth()), OptionalInt.empty(), 0);
            trainer(cached).train(recipe, fresh);
            Scripted freshOff = new Scripted(dir.resolve("fresh-off-" + recipe.unfreezeDepth()), OptionalInt.empty(), 0);
            trainer(off).train(recipe, freshOff);
            assertEquals(freshOff.epochs.size(), fresh.epochs.size());
            for (int i = 0; i < fresh.epochs.size(); i++) {
                assertEquals(freshOff.epochs.get(i).validationLoss(), fresh.epochs.get(i).validationLoss(),
                        1e-4 * Math.max(1, Math.abs(freshOff.epochs.get(i).validationLoss())), "fresh epoch " + (i + 1));
            }
            assertFalse(fresh.notes.stream().anyMatch(n -> n.contains("not the source model's")), fresh.notes::toString);
        }
    }

    private Path other() throws Exception {
        Path other = dir.resolve("other.zip");
        if (!Files.exists(other)) {
            new Pretrainer().pretrain(DataSpec.idx(new ImageSource.Idx(Fixture.get().data.trainImages,
                    Fixture.get().data.trainLabels, Optional.empty(), Optional.empty()), List.of(0, 1), 30, 0.2,
                    Fixture.IMAGE_SIZE), 1, 12, other, p -> { });
        }
        return other;
    }

    private static Dl4jTrialTrainer trainer(StudySpec spec) throws Exception {
        return new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Records epochs and notes; pauses after epoch {@code pauseAt} (0: never); resumes after {@code resumeAfter}. */
    private static final class Scripted implements TrialControl {
        final List<MetricPoint> epochs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        private final Path checkpointDir;
        private final OptionalInt resumeAfter;
        private final int pauseAt;

        Scripted(Path checkpointDir, OptionalInt resumeAfter, int pauseAt) {
            this.checkpointDir = checkpointDir;
            this.resumeAfter = resumeAfter;
            this.pauseAt = pauseAt;
        }

        @Override
        public PruneDecision epochFinished(MetricPoint point) {
            epochs.add(point);
            return point.epoch() == pauseAt ? PruneDecision.pause("paused at " + pauseAt) : PruneDecision.CONTINUE;
        }

        @Override
        public Optional<String> stopReason() {
            return Optional.empty();
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }

        @Override
        public Path checkpointDir() {
            return checkpointDir;
        }

        @Override
        public OptionalInt resumeAfter() {
            return resumeAfter;
        }
    }
}
