package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialQuery;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialRow;
import dev.thaw.study.Direction;
import dev.thaw.study.TrialState;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code baseline: scratch}: one more trial, from random weights, with the best trial's hyperparameters. */
class ScratchBaselineTest {
    @TempDir
    Path dir;

    /** A grid that runs out before the budget still ends with its baseline (it was silently skipped). */
    @Test
    void theBaselineRunsAfterAFinishedGridToo() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("grid.yaml");
        Files.writeString(study, StudyFiles.tiny("grid", f.data, f.sourceModel, results, 5, 1)
                .replace("algorithm: random", "algorithm: grid")
                .replace("learning_rate: {type: float, low: 1.0e-3, high: 5.0e-2, log: true}", "learning_rate: 0.01")
                .replace("dropout: {type: float, low: 0.0, high: 0.3}", "dropout: 0.1")
                .replace("optimizer: {type: choice, values: [adam, nesterovs]}", "optimizer: adam")
                .replace("unfreeze_depth: {type: int, low: 0, high: 3}", "unfreeze_depth: 0")
                + "baseline: scratch\n");
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("the search space is exhausted after 2 trials"), run.out());
        List<TrialRecord> trials = new StudyDb(Database.fileUrl(results)).trials("grid");
        assertEquals(3, trials.size(), trials.toString());
        assertTrue(trials.get(2).baseline(), trials.toString());
    }

    @Test
    void theBaselineRunsAfterTheSearchIsMarkedAndNeverTheBest() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("scratch.yaml");
        Files.writeString(study, StudyFiles.tiny("scratch", f.data, f.sourceModel, results, 3, 1) + "baseline: scratch\n");

        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("trial 4 (scratch baseline"), run.out());
        assertTrue(run.out().matches("(?s).*transfer vs scratch: val_accuracy \\d\\.\\d{4} \\(trial \\d\\) vs \\d\\.\\d{4} "
                + "\\(trial 4, from scratch\\): .*"), run.out());

        StudyDb db = new StudyDb(Database.fileUrl(results));
        List<TrialRecord> trials = db.trials("scratch");
        assertEquals(4, trials.size(), "the budget of 3, and the baseline beside it");
        TrialRecord baseline = trials.get(3);
        assertTrue(baseline.baseline());
        assertEquals(TrialState.COMPLETE, baseline.state());
        assertTrue(trials.subList(0, 3).stream().noneMatch(TrialRecord::baseline));
        TrialRecord best = trials.subList(0, 3).stream().filter(t -> t.score().isPresent())
                .max(java.util.Comparator.comparingDouble((TrialRecord t) -> t.score().get())
                        .thenComparing(TrialRecord::number, java.util.Comparator.reverseOrder())).orElseThrow();
        assertEquals(best.assignment(), baseline.assignment(), "the baseline takes the best trial's hyperparameters");

        StudyRecord s = db.study("scratch").orElseThrow();
        try (Database open = Database.open(Database.fileUrl(results))) {
            List<TrialRow> rows = new LeaderboardStore(open.dataSource()).page(s.id(), Direction.MAXIMIZE,
                    TrialQuery.firstPage(10)).rows();
            TrialRow row = rows.stream().filter(r -> r.number() == 4).findFirst().orElseThrow();
            assertTrue(row.baseline());
            assertTrue(row.rank().isEmpty(), "the baseline is not ranked among the search's trials");
            assertFalse(rows.stream().filter(r -> r.number() != 4).anyMatch(TrialRow::baseline));
        }
        Cli table = Cli.run("trials", "scratch", "--results", results.toString());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("scratch") && l.contains(" 4 ")), table.out());
        Cli json = Cli.run("trials", "scratch", "--results", results.toString(), "--json");
        assertTrue(json.out().contains("\"baseline\" : \"scratch\""), json.out());

        Cli again = Cli.run("run", study.toString());
        assertEquals(0, again.exit(), again.toString());
        assertEquals(4, db.trials("scratch").size(), "a finished study with its baseline adds nothing");

        // issue 10, case 2: raising the budget after the baseline runs both new trials; the baseline's number 4
        // lies between the search's candidates 3 and 4 (trials 5 and 6)
        Files.writeString(study, Files.readString(study).replace("trials: 3", "trials: 5"));
        Cli raised = Cli.run("run", study.toString());
        assertEquals(0, raised.exit(), raised.toString());
        assertTrue(raised.out().contains("trial 5 (4/5 of the budget)") && raised.out().contains("trial 6 (5/5 of the budget)"), raised.out());
        List<TrialRecord> after = db.trials("scratch");
        assertEquals(6, after.size(), after.toString());
        assertEquals(List.of(4), after.stream().filter(TrialRecord::baseline).map(TrialRecord::number).toList());
        assertTrue(after.stream().allMatch(t -> t.state() == TrialState.COMPLETE), after.toString());
        assertEquals(dev.thaw.study.StudyStatus.COMPLETE, db.study("scratch").orElseThrow().status());
        Cli third = Cli.run("run", study.toString());
        assertEquals(0, third.exit(), third.toString());
        assertEquals(6, db.trials("scratch").size(), "and the study stays whole on every later run");
    }
}
