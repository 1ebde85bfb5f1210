package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Network;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeze–thaw inside a trial: a trial paused after an epoch and resumed from its checkpoint (by another trainer, as on
 * another node) reports the same epochs, bit for bit, and ends with the same weights and scores as the same trial run
 * straight through; a checkpoint that is missing, unfinished, damaged or of another trial shape is refused.
 */
class TrialCheckpointTest {
    @TempDir
    Path dir;

    private StudySpec spec(int epochs) throws Exception {
        return new StudyFileReader().parse(StudyFiles.tiny("t", Fixture.get().data, Fixture.get().sourceModel, dir,
                1, epochs));
    }

    /**
     * head_epochs 2 of 4, dropout and augmentation on, Adam (its step count matters): paused after epoch 1 (inside the
     * head-only phase), after 2 (its last epoch: the thaw comes after the resume) and after 3 (after the thaw).
     */
    @Test
    void pausedInsideAndAfterTheHeadEpochsTheTrialGoesOnBitForBit() throws Exception {
        Assignment recipe = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8, "dropout", 0.3,
                "optimizer", "adam", "unfreeze_depth", 1, "head_epochs", 2, "augment", "light"));
        StudySpec spec = spec(4);
        Path checkpoints = dir.resolve("trial-1");
        resumedEqualsStraight(spec, recipe, checkpoints, 1, 2, 3);
        try (Stream<Path> left = Files.list(checkpoints)) {
            assertEquals(List.of("epoch-3"), left.map(p -> p.getFileName().toString()).toList(),
                    "a resume keeps only the checkpoint it resumed from; no unfinished writes are left");
        }
    }

    /** A ComputationGraph source (the fixture's network as a graph): paused before and after the thaw. */
    @Test
    void aGraphPausedBeforeAndAfterTheThawGoesOnBitForBit() throws Exception {
        Path graph = dir.resolve("graph.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                Network.load(Fixture.get().sourceModel).layers().toComputationGraph(), graph.toFile(), false);
        assertTrue(Network.load(graph).isGraph());
        StudySpec spec = new StudyFileReader().parse(StudyFiles.tiny("t", Fixture.get().data, graph, dir, 1, 3));
        Assignment recipe = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8, "dropout", 0.3,
                "optimizer", "adam", "unfreeze_depth", 1, "head_epochs", 1));
        resumedEqualsStraight(spec, recipe, dir.resolve("trial-g"), 1, 2);
    }

    /** Two folds in step, each with its own network, order and augmentation; Nesterov momentum on a cosine schedule. */
    @Test
    void kFoldsPausedAndResumedGoOnBitForBit() throws Exception {
        Assignment recipe = new Assignment(Map.of("learning_rate", 0.02, "batch_size", 8, "dropout", 0.2,
                "optimizer", "nesterovs", "unfreeze_depth", 1, "lr_schedule", "cosine", "augment", "light"));
        StudySpec plain = spec(2);
        StudySpec spec = plain.withData(plain.data().withFolds(2));
        resumedEqualsStraight(spec, recipe, dir.resolve("trial-2"), 1);
    }

    /** The checkpoint is private to its owner: folders rwx------, files rw-------; it holds every fold and a manifest. */
    @Test
    void theCheckpointIsOwnerOnlyAndComplete() throws Exception {
        Path checkpoints = dir.resolve("trial-3");
        Path written = pausedOnce(spec(2), checkpoints);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        try (Stream<Path> files = Files.list(written)) {
            List<Path> all = files.sorted().toList();
            assertEquals(List.of("fold-0.zip", TrialCheckpoint.MANIFEST, TrialCheckpoint.STATE),
                    all.stream().map(p -> p.getFileName().toString()).toList());
            for (Path file : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    @Test
    void aCheckpointWithoutItsManifestIsRefusedInOneLine() throws Exception {
        StudySpec spec = spec(2);
        Path checkpoints = dir.resolve("trial-4");
        Files.delete(pausedOnce(spec, checkpoints).resolve(TrialCheckpoint.MANIFEST));
        String message = refused(spec, checkpoints, 1);
        assertTrue(message.startsWith("cannot resume after epoch 1: the checkpoint ") && message.contains("incomplete"),
                message);
    }

    @Test
    void aMissingDamagedOrMismatchedCheckpointIsRefusedInOneLine() throws Exception {
        StudySpec spec = spec(2);
        Path checkpoints = dir.resolve("trial-5");
        Path written = pausedOnce(spec, checkpoints);

        assertContains(refused(spec, dir.resolve("nothing-here"), 1), "no checkpoint at ");

        StudySpec folds = spec.withData(spec.data().withFolds(3));
        assertContains(refused(folds, checkpoints, 1), "holds epoch 1 of 1 fold(s), not epoch 1 of 3 fold(s)");

        Files.move(written, TrialCheckpoint.folder(checkpoints, 2));
        assertContains(refused(spec(3), checkpoints, 2), "holds epoch 1 of 1 fold(s), not epoch 2 of 1 fold(s)");
        Files.move(TrialCheckpoint.folder(checkpoints, 2), written);

        Assignment longerHead = RECIPE.with(dev.thaw.study.Hyperparameter.HEAD_EPOCHS, 2);
        assertContains(refused(spec, checkpoints, 1, longerHead), "holds another trial's networks");

        Path zip = written.resolve("fold-0.zip");
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 1;
        Files.write(zip, bytes);
        assertContains(refused(spec, checkpoints, 1), "fold-0.zip in " + written + " does not match its manifest");
    }

    /**
     * A checkpoint is never read or written through a symbolic link: a trial folder or a checkpoint folder that is a
     * link is refused in one line, and nothing behind the link changes.
     */
    @Test
    void aCheckpointBehindASymbolicLinkIsRefusedAndNothingBehindItChanges() throws Exception {
        StudySpec spec = spec(2);
        Path real = dir.resolve("elsewhere");
        Path written = pausedOnce(spec, real);
        Path linkedTrial = Files.createSymbolicLink(dir.resolve("trial-8"), real);
        assertContains(refused(spec, linkedTrial, 1), linkedTrial + " is a symbolic link");

        Path trial = Files.createDirectories(dir.resolve("trial-9"));
        Files.createSymbolicLink(TrialCheckpoint.folder(trial, 1), written);
        assertContains(refused(spec, trial, 1), TrialCheckpoint.folder(trial, 1) + " is a symbolic link");

        TrialFailedException e = assertThrows(TrialFailedException.class,
                () -> trainer(spec).train(RECIPE, new Scripted(linkedTrial, OptionalInt.empty(), 1)));
        assertContains(e.getMessage(), "cannot write the checkpoint after epoch 1 into " + linkedTrial);
        try (Stream<Path> left = Files.list(real)) {
            assertEquals(List.of("epoch-1"), left.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> files = Files.list(written)) {
            assertEquals(3, files.count(), "the checkpoint behind the links is as it was");
        }
    }

    /**
     * A checkpoint that is whole but another trial's (copied, or left by a study of the same name in another database
     * that shares the output folder) is refused: resuming from it would go on with that trial's network and updater.
     */
    @Test
    void anotherTrialsCheckpointIsRefused() throws Exception {
        StudySpec spec = spec(2);
        Path checkpoints = dir.resolve("trial-10");
        pausedOnce(spec, checkpoints);
        Assignment other = RECIPE.with(dev.thaw.study.Hyperparameter.LEARNING_RATE, 0.02);
        assertContains(refused(spec, checkpoints, 1, other), "holds another trial's networks (seed 5, "
                + "batch_size=8, dropout=0.1, learning_rate=0.01, optimizer=adam, unfreeze_depth=1), not this one's");
        StudySpec reseeded = new StudyFileReader().parse(StudyFiles.tiny("t", Fixture.get().data,
                Fixture.get().sourceModel, dir, 1, 2).replace("seed: 5", "seed: 6"));
        assertContains(refused(reseeded, checkpoints, 1), "holds another trial's networks (seed 5, ");
    }

    /** A user's stop asked for while the pruner pauses the trial wins: it ends STOPPED, with no checkpoint. */
    @Test
    void aStopBeatsAPause() throws Exception {
        StudySpec spec = spec(3);
        Path checkpoints = dir.resolve("trial-6");
        Scripted control = new Scripted(checkpoints, OptionalInt.empty(), 1) {
            @Override
            public Optional<String> stopReason() {
                return epochs.isEmpty() ? Optional.empty() : Optional.of("enough");
            }
        };
        TrialOutcome.Finished done = assertInstanceOf(TrialOutcome.Finished.class, trainer(spec).train(RECIPE, control));
        assertEquals(dev.thaw.study.TrialState.STOPPED, done.end());
        assertEquals(1, done.result().epochs());
        assertFalse(Files.exists(checkpoints));
    }

    private static final Assignment RECIPE = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.1, "optimizer", "adam", "unfreeze_depth", 1));

    /** Pauses a trial of {@link #RECIPE} after epoch 1; the checkpoint's folder. */
    private static Path pausedOnce(StudySpec spec, Path checkpoints) throws Exception {
        TrialOutcome outcome = trainer(spec).train(RECIPE, new Scripted(checkpoints, OptionalInt.empty(), 1));
        assertEquals(new TrialOutcome.Paused(1, "paused at 1"), outcome);
        return TrialCheckpoint.folder(checkpoints, 1);
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), message);
    }

    private static String refused(StudySpec spec, Path checkpoints, int after) throws Exception {
        return refused(spec, checkpoints, after, RECIPE);
    }

    private static String refused(StudySpec spec, Path checkpoints, int after, Assignment recipe) throws Exception {
        TrialFailedException e = assertThrows(TrialFailedException.class,
                () -> trainer(spec).train(recipe, new Scripted(checkpoints, OptionalInt.of(after), 0)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("; the trial must start over"), e.getMessage());
        return e.getMessage();
    }

    /**
     * Runs {@code recipe} straight through, then again pausing after each of {@code pauses} and resuming each time on
     * a new trainer: every epoch's metrics, the final weights and the final result agree exactly.
     */
    private static void resumedEqualsStraight(StudySpec spec, Assignment recipe, Path checkpoints, int... pauses)
            throws Exception {
        Scripted straight = new Scripted(checkpoints.resolveSibling("unused"), OptionalInt.empty(), 0);
        TrialOutcome.Finished whole = trainer(spec).train(recipe, straight).finished();

        List<MetricPoint> resumedEpochs = new ArrayList<>();
        OptionalInt after = OptionalInt.empty();
        for (int pause : pauses) {
            elsewhere(pause);
            Scripted control = new Scripted(checkpoints, after, pause);
            assertEquals(new TrialOutcome.Paused(pause, "paused at " + pause), trainer(spec).train(recipe, control));
            resumedEpochs.addAll(control.epochs);
            after = OptionalInt.of(pause);
        }
        elsewhere(0);
        Scripted last = new Scripted(checkpoints, after, 0);
        TrialOutcome.Finished resumed = trainer(spec).train(recipe, last).finished();
        resumedEpochs.addAll(last.epochs);

        assertEquals(spec.epochs(), straight.epochs.size());
        assertEquals(straight.epochs, resumedEpochs, "every field of every epoch, exactly");
        assertArrayEquals(params(whole), params(resumed), "the kept model's weights");
        assertEquals(dev.thaw.study.TrialState.COMPLETE, resumed.end());
        TrialResult a = whole.result();
        TrialResult b = resumed.result();
        assertEquals(a.epochs(), b.epochs());
        assertEquals(a.validationLoss(), b.validationLoss());
        assertTrue(Arrays.deepEquals(a.validation().confusion(), b.validation().confusion()));
        assertTrue(Arrays.deepEquals(a.test().orElseThrow().confusion(), b.test().orElseThrow().confusion()));
        assertEquals(a.foldLosses(), b.foldLosses());
        assertEquals(a.misclassified(), b.misclassified());
    }

    /**
     * Leaves this thread's ND4J generator as other trials' draws on another slot or node would have: a resumed trial
     * must not depend on it.
     */
    private static void elsewhere(int run) {
        Nd4j.getRandom().setSeed(1_000_003L * (run + 1));
        Nd4j.getRandom().nextLong();
    }

    private static float[] params(TrialOutcome.Finished outcome) {
        return ((KeptNetwork) outcome.model()).network().params().dup().ravel().toFloatVector();
    }

    private static Dl4jTrialTrainer trainer(StudySpec spec) throws IOException {
        return new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()));
    }

    /** Records epochs and pauses after epoch {@code pauseAt} (0: never), resuming after {@code resumeAfter}. */
    private static class Scripted implements TrialControl {
        final List<MetricPoint> epochs = new ArrayList<>();
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
        public Path checkpointDir() {
            return checkpointDir;
        }

        @Override
        public OptionalInt resumeAfter() {
            return resumeAfter;
        }
    }
}
