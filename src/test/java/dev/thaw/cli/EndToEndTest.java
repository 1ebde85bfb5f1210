package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.TrialState;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user's path through the real command line: validate, run, list, continue, export, re-run the export. */
class EndToEndTest {
    /** How close a re-run of the exported study must come to the best trial's score (validation accuracy). */
    static final double REPRODUCTION_TOLERANCE = 0.02;

    @TempDir
    Path dir;

    private List<TrialRecord> trials(Path results, String study) {
        StudyDb db = new StudyDb(Database.fileUrl(results));
        List<TrialRecord> all = db.trials(study);
        try (Database open = Database.open(Database.fileUrl(results))) {
            TrialStore store = new TrialStore(open.dataSource(), Clock.systemUTC());
            all.forEach(t -> assertEquals(t.epochs(), store.epochs(t.id()).size(), "epochs recorded for " + t));
        }
        return all;
    }

    @Test
    void aStudyRunsContinuesExportsAndTheExportReproducesTheBestScore() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("tiny.yaml");
        Files.writeString(study, StudyFiles.tiny("tiny", f.data, f.sourceModel, results, 3, 1));

        Cli validate = Cli.run("validate", study.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertTrue(validate.out().contains("study 'tiny', random search over learning_rate, batch_size"), validate.out());

        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("trial 3/3") && run.out().contains("best: trial"), run.out());
        List<TrialRecord> first = trials(results, "tiny");
        assertEquals(3, first.size());
        first.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));
        try (Stream<Path> models = Files.list(results.resolve("tiny").resolve("models"))) {
            assertEquals(1, models.count(), "only the best trial's model is kept");
        }

        Cli again = Cli.run("run", study.toString());
        assertEquals(0, again.exit(), again.toString());
        assertEquals(first, trials(results, "tiny"), "a finished study is left as it was");

        Files.writeString(study, Files.readString(study).replace("trials: 3", "trials: 4"));
        assertEquals(0, Cli.run("run", study.toString()).exit());
        List<TrialRecord> continued = trials(results, "tiny");
        assertEquals(4, continued.size());
        assertEquals(first, continued.subList(0, 3), "continuing keeps the recorded trials");
        assertEquals(4, continued.get(3).number());

        Cli json = Cli.run("trials", "tiny", "--results", results.toString(), "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode table = new ObjectMapper().readTree(json.out());
        assertEquals(4, table.get("trials").size());
        assertEquals(1, table.get("trials").get(0).get("rank").asInt());
        Cli text = Cli.run("trials", "tiny", "--results", results.toString());
        assertTrue(text.out().contains("rank  trial  state"), text.out());

        Path best = dir.resolve("export").resolve("best.yaml");
        Cli export = Cli.run("export", "tiny", "--out", best.toString(), "--results", results.toString());
        assertEquals(0, export.exit(), export.toString());
        assertTrue(Files.isRegularFile(dir.resolve("export").resolve("best-model.zip")));
        String exported = Files.readString(best);
        assertTrue(exported.contains("provenance:") && exported.contains("dataset_fingerprint: sha256:"), exported);

        Cli rerun = Cli.run("run", best.toString());
        assertEquals(0, rerun.exit(), rerun.toString());
        TrialRecord bestTrial = continued.stream().filter(t -> t.score().isPresent())
                .max(java.util.Comparator.comparing(t -> t.score().get())).orElseThrow();
        List<TrialRecord> reproduced = trials(results, "tiny-best");
        assertEquals(1, reproduced.size());
        assertEquals(bestTrial.assignment(), reproduced.get(0).assignment());
        assertEquals(bestTrial.score().orElseThrow(), reproduced.get(0).score().orElseThrow(), REPRODUCTION_TOLERANCE);
    }

    @Test
    void aFailingTrialIsRecordedWithItsReasonAndTheStudyGoesOn() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("hot.yaml");
        // Nesterov momentum at learning rate 9.9 drives this network to NaN (see DivergenceTest); Adam survives it.
        Files.writeString(study, StudyFiles.tiny("hot", f.data, f.sourceModel, results, 4, 1)
                .replace("algorithm: random", "algorithm: grid")
                .replace("{type: float, low: 1.0e-3, high: 5.0e-2, log: true}", "9.9")
                .replace("{type: choice, values: [8, 16]}", "8")
                .replace("{type: float, low: 0.0, high: 0.3}", "0.0")
                .replace("unfreeze_depth: {type: int, low: 0, high: 3}", "unfreeze_depth: 3"));
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("the search space is exhausted after 2 trials"), run.out());
        List<TrialRecord> all = trials(results, "hot");
        assertEquals(List.of(TrialState.COMPLETE, TrialState.FAILED), all.stream().map(TrialRecord::state).toList());
        assertEquals("nesterovs", all.get(1).assignment().values().get("optimizer"));
        assertTrue(all.get(1).error().orElseThrow().startsWith("diverged: loss is not finite at epoch 1"), all.toString());
    }

    @Test
    void aSourceModelThatDoesNotFitTheStudyIsRefusedBeforeAnythingRuns() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("deep.yaml");
        Files.writeString(study, StudyFiles.tiny("deep", f.data, f.sourceModel, results, 2, 1)
                .replace("unfreeze_depth: {type: int, low: 0, high: 3}", "unfreeze_depth: {type: choice, values: [0, 7]}"));
        Cli deep = Cli.run("run", study.toString());
        assertEquals(2, deep.exit(), deep.toString());
        assertEquals("error: space.unfreeze_depth: goes up to 7 but " + f.sourceModel + " has 3 backbone "
                + "blocks; use at most 3; see them with: scripts/thaw inspect-model " + f.sourceModel + " (line 31)",
                deep.err().strip());

        Path broken = dir.resolve("broken.zip");
        Files.writeString(broken, "not a zip");
        Files.writeString(study, StudyFiles.tiny("broken", f.data, broken, results, 2, 1));
        Cli validate = Cli.run("validate", study.toString());
        assertEquals(2, validate.exit(), validate.toString());
        assertTrue(validate.err().startsWith("error: model.path: cannot load " + broken), validate.err());

        Files.writeString(study, StudyFiles.tiny("gray", f.data, f.sourceModel, results, 2, 1)
                .replace("  image_size: 12", "  image_size: 12\n  preprocess: imagenet"));
        Cli gray = Cli.run("run", study.toString());
        assertEquals(2, gray.exit(), gray.toString());
        assertEquals("error: data.preprocess: imagenet needs a model of 3 input channels, " + f.sourceModel
                + " takes 1; use preprocess: unit (line 18)", gray.err().strip());
        assertTrue(Files.notExists(results.resolve("thaw.mv.db")), "nothing was recorded");
    }

    @Test
    void badInputGetsOneLineAndExitTwoAndLosesNothing() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("s.yaml");
        Files.writeString(study, StudyFiles.tiny("s", f.data, f.sourceModel, results, 1, 1));
        assertEquals(0, Cli.run("run", study.toString()).exit());
        String ran = Files.readString(study);
        Files.writeString(study, ran + "cache: {features: off, max_gb: 1}\n");
        Cli cacheChanged = Cli.run("run", study.toString());
        assertEquals(0, cacheChanged.exit(), "the cache is not part of the study: " + cacheChanged);
        assertEquals(1, trials(results, "s").size());

        Files.writeString(study, ran.replace("epochs: 1", "epochs: 2"));
        Cli conflict = Cli.run("run", study.toString());
        assertEquals(2, conflict.exit(), conflict.toString());
        assertEquals("error: a study named 's' already exists with a different study file (budget.epochs changed); only "
                + "search.trials, search.max_time, resources.slots, baseline and cache may change to continue it: undo the "
                + "change, or give this study another name", conflict.err().strip());
        assertEquals(1, trials(results, "s").size());

        Files.writeString(study, Files.readString(study).replace("optimizer: {type: choice, values: [adam, nesterovs]}",
                "optimizer: adamw"));
        Cli invalid = Cli.run("validate", study.toString());
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().startsWith("error: space.optimizer: unknown optimizer 'adamw'"), invalid.err());
        assertEquals(1, invalid.err().strip().lines().count(), invalid.err());

        Cli unknown = Cli.run("trials", "nope", "--results", results.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("error: no study named 'nope'"), unknown.err());
        Cli noDatabase = Cli.run("export", "s", "--out", dir.resolve("x.yaml").toString(), "--results",
                dir.resolve("empty").toString());
        assertEquals(2, noDatabase.exit());
        assertTrue(noDatabase.err().startsWith("error: no study database in "), noDatabase.err());
        assertEquals(2, Cli.run("run", dir.resolve("missing.yaml").toString()).exit());
    }
}
