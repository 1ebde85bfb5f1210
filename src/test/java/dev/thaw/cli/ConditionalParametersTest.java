package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.TrialState;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thaw's own conditions through a real run: {@code momentum} only with nesterovs, {@code head_epochs} only with
 * something thawed. The grid of 16 cells holds 9 distinct trainings; the study runs those 9, stores no
 * inactive parameter, and shows them empty.
 */
class ConditionalParametersTest {
    @TempDir
    Path dir;

    @Test
    void aGridRunsEachDistinctTrainingOnceAndStoresNoInactiveParameter() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("cond.yaml");
        String text = StudyFiles.tiny("cond", f.data, f.sourceModel, results, 16, 1)
                .replace("algorithm: random", "algorithm: grid");
        text = StudyFiles.replaceSection(text, "space", """
                space:
                  learning_rate: 0.01
                  batch_size: 8
                  dropout: 0.1
                  optimizer: {type: choice, values: [adam, nesterovs]}
                  momentum: {type: choice, values: [0.5, 0.9]}
                  unfreeze_depth: {type: choice, values: [0, 1]}
                  head_epochs: {type: choice, values: [0, 1]}
                """);
        Files.writeString(study, text);
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("exhausted after 9 trials") || run.err().contains("exhausted after 9 trials"),
                run.toString());

        List<TrialRecord> trials = new StudyDb(Database.fileUrl(results)).trials("cond");
        assertEquals(9, trials.size(), trials.toString());
        assertEquals(9, new HashSet<>(trials.stream().map(TrialRecord::assignment).toList()).size(),
                "no two trials train the same: " + trials);
        for (TrialRecord t : trials) {
            assertEquals(TrialState.COMPLETE, t.state(), t.toString());
            var values = t.assignment().values();
            assertEquals("nesterovs".equals(values.get("optimizer")), values.containsKey("momentum"), values.toString());
            assertEquals(((Number) values.get("unfreeze_depth")).intValue() >= 1, values.containsKey("head_epochs"),
                    values.toString());
        }

        Cli listed = Cli.run("trials", "cond", "--results", results.toString());
        assertEquals(0, listed.exit(), listed.toString());
        assertFalse(listed.out().contains("null"), "an inactive parameter shows empty:\n" + listed.out());
    }
}
