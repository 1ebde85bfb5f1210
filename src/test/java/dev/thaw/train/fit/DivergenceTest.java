package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;

import dev.thaw.study.Assignment;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DivergenceTest {
    @TempDir
    Path dir;

    /** Nesterov momentum at learning rate 9.9 drives this tiny network's outputs to NaN within an epoch. */
    @Test
    void aTrialWhoseLossBlowsUpFailsWithTheReason() throws Exception {
        Fixture f = Fixture.get();
        StudySpec spec = new StudyFileReader().parse(StudyFiles.tiny("d", f.data, f.sourceModel, dir, 1, 3));
        TargetData data = TargetData.load(spec.data(), spec.seed());
        Assignment explosive = new Assignment(Map.of("learning_rate", 9.9, "batch_size", 8, "dropout", 0.0,
                "optimizer", "nesterovs", "unfreeze_depth", 3));
        TrialFailedException e = assertThrows(TrialFailedException.class,
                () -> new Dl4jTrialTrainer(spec, data).train(explosive, TrialControl.NONE));
        assertTrue(e.getMessage().startsWith("diverged: loss is not finite at epoch "), e.getMessage());
    }
}
