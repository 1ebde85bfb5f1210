package dev.thaw.train;

import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jTrialTrainerTest {
    @TempDir
    Path dir;

    private static final Assignment ADAM = new Assignment(Map.of("learning_rate", 0.01, "batch_size", 8,
            "dropout", 0.1, "optimizer", "adam", "unfreeze_depth", 1));

    private StudySpec spec(Path model, int epochs) throws Exception {
        return new StudyFileReader().parse(StudyFiles.tiny("t", Fixture.get().data, model, dir, 1, epochs));
    }

    @Test
    void reportsEveryEpochAndEvaluatesValidationAndTest() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 2);
        List<MetricPoint> epochs = new ArrayList<>();
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, p -> epochs.add(p));
        assertEquals(List.of(1, 2), epochs.stream().map(MetricPoint::epoch).toList());
        TrialResult result = outcome.result();
        assertEquals(2, result.epochs());
        assertTrue(result.validation().accuracy() > 0.9, "tiny data is easy: " + result.validation());
        int[][] confusion = result.test().orElseThrow().confusion();
        assertEquals(30, confusion[0][0] + confusion[0][1] + confusion[1][0] + confusion[1][1], "15 test images per class");
        Path saved = dir.resolve("model.zip");
        outcome.model().save(saved);
        assertTrue(Files.size(saved) > 0);
    }

    @Test
    void theListenerCanStopATrialEarly() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 3);
        TrialOutcome outcome = new Dl4jTrialTrainer(spec, TargetData.load(spec.data(), spec.seed()))
                .train(ADAM, p -> false);
        assertTrue(outcome.stoppedEarly());
        assertEquals(1, outcome.result().epochs());
    }

    @Test
    void aModelThatCannotBeLoadedFailsTheTrialWithTheReason() throws Exception {
        StudySpec spec = spec(Fixture.get().sourceModel, 1);
        TargetData data = TargetData.load(spec.data(), spec.seed());
        Path broken = dir.resolve("broken.zip");
        Files.writeString(broken, "not a zip");
        StudySpec brokenSpec = spec(broken, 1);
        TrialFailedException e = assertThrows(TrialFailedException.class,
                () -> new Dl4jTrialTrainer(brokenSpec, data).train(ADAM, p -> true));
        assertTrue(e.getMessage().startsWith("cannot load the source model " + broken + ": "), e.getMessage());
    }
}
