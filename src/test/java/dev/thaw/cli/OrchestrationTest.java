package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.StudyStatus;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slots, stopping trials and studies, through the real command line, scheduler and database. */
class OrchestrationTest {
    @TempDir
    Path dir;

    private List<TrialRecord> trials(Path results, String study) {
        return new StudyDb(Database.fileUrl(results)).trials(study);
    }

    private StudyRecord study(Path results, String name) {
        return new StudyDb(Database.fileUrl(results)).study(name).orElseThrow();
    }

    private void await(Path results, String study, Predicate<List<TrialRecord>> condition) throws Exception {
        new StudyDb(Database.fileUrl(results)).await(study, condition, () -> true, "the trials to get there");
    }

    @Test
    void twoSlotsRunTwoTrialsAtOnce() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("wide.yaml");
        // TPE over a small discrete space, where two slots proposing from the same history could meet
        Files.writeString(study, StudyFiles.tiny("wide", f.data, f.sourceModel, results, 4, 8)
                .replace("algorithm: random", "algorithm: tpe\n  tpe: {startup_trials: 1}")
                .replace("learning_rate: {type: float, low: 1.0e-3, high: 5.0e-2, log: true}", "learning_rate: 0.01")
                .replace("dropout: {type: float, low: 0.0, high: 0.3}", "dropout: 0.1")
                .replace("unfreeze_depth: {type: int, low: 0, high: 3}", "unfreeze_depth: {type: int, low: 0, high: 1}"));
        Cli run = Cli.run("run", study.toString(), "--slots", "2");
        assertEquals(0, run.exit(), run.toString());
        List<TrialRecord> all = trials(results, "wide");
        assertEquals(4, all.size());
        all.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));
        boolean overlap = false;
        for (TrialRecord a : all) {
            for (TrialRecord b : all) {
                overlap |= a.id() != b.id() && a.started().get().isBefore(b.finished().get())
                        && b.started().get().isBefore(a.finished().get());
            }
        }
        assertTrue(overlap, "two trials ran at the same time: " + all);
        for (TrialRecord a : all) {
            for (TrialRecord b : all) {
                if (a.id() != b.id() && a.created().isBefore(b.created()) && b.created().isBefore(a.finished().get())) {
                    assertFalse(a.assignment().equals(b.assignment()), "proposed while the other ran: " + a + " " + b);
                }
            }
        }
        assertEquals(2, study(results, "wide").slots());
    }

    @Test
    void aStoppedTrialEndsAtItsNextBatchAndAStoppedStudyStopsItsRunningTrials() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("long.yaml");
        Files.writeString(study, StudyFiles.tiny("long", f.data, f.sourceModel, results, 3, 500));
        CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("run", study.toString()));

        await(results, "long", t -> t.stream().anyMatch(r -> r.number() == 1 && r.epochs() >= 1));
        Cli stopTrial = Cli.run("stop", "long", "--trial", "1", "--reason", "looks hopeless", "--results",
                results.toString());
        assertEquals(0, stopTrial.exit(), stopTrial.toString());
        await(results, "long", t -> t.stream().anyMatch(r -> r.number() == 2 && r.epochs() >= 1));
        TrialRecord first = trials(results, "long").get(0);
        assertEquals(TrialState.STOPPED, first.state());
        assertEquals(Optional.of("looks hopeless"), first.reason());
        assertTrue(first.epochs() < 500, first.toString());

        Cli stopStudy = Cli.run("stop", "long", "--reason", "out of time", "--now", "--results", results.toString());
        assertEquals(0, stopStudy.exit(), stopStudy.toString());
        Cli finished = run.get();
        assertEquals(0, finished.exit(), finished.toString());
        assertTrue(finished.out().contains("study long stopped: by request: out of time"), finished.out());
        List<TrialRecord> all = trials(results, "long");
        assertEquals(2, all.size(), "no trial starts after the study is stopped: " + all);
        assertEquals(Optional.of("study stopped: out of time"), all.get(1).reason());
        assertEquals(StudyStatus.STOPPED, study(results, "long").status());

        // the terminal leaderboard shows why each trial ended, and ranks neither (issue 10, case 3)
        Cli json = Cli.run("trials", "long", "--json", "--results", results.toString());
        assertTrue(json.out().contains("\"reason\" : \"looks hopeless\""), json.out());
        assertFalse(json.out().matches("(?s).*\"rank\" : \\d.*"), json.out());
        Cli table = Cli.run("trials", "long", "--results", results.toString());
        assertTrue(table.out().contains("looks hopeless"), table.out());

        Cli again = Cli.run("stop", "long", "--trial", "1", "--reason", "x", "--results", results.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().startsWith("error: trial 1 of 'long' already ended STOPPED"), again.err());
    }
}
