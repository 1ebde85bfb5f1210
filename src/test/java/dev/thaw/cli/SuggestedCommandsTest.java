package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.TrialState;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command a message suggests runs as printed, in the situation that prints it: each is taken from the real
 * command line's output, read by a real shell and run through the real command line. The results directory and
 * the files have spaces and quotes in their names, so that quoting is tested too.
 */
class SuggestedCommandsTest {
    /** Epochs per trial of a study that another process drives, long enough to act while it runs. */
    private static final int LONG_EPOCHS = 150;
    /** Epochs per trial of a study whose driver is killed at its first epoch. */
    private static final int KILLED_EPOCHS = 40;

    @TempDir
    Path dir;

    private static void awaitDatabase(Path results, ChildThaw child) throws Exception {
        while (!Files.exists(results.resolve("thaw.mv.db"))) {
            assertTrue(child.alive(), "thaw exited before creating its database:\n" + child.output());
            Thread.sleep(50);
        }
    }

    private static void awaitRunning(StudyDb db, String study, ChildThaw child) throws Exception {
        db.await(study, t -> t.stream().anyMatch(r -> r.state() == TrialState.RUNNING && r.epochs() >= 1),
                child::alive, "a trial of " + study + " to run");
    }

    @Test
    void aSecondRunOfADrivenStudySaysAtOnceWhoDrivesItAndItsWatchStopAndResumeCommandsRunAsPrinted() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("my results");
        Path study = dir.resolve("driven.yaml");
        Files.writeString(study, StudyFiles.tiny("driven", f.data, f.sourceModel, results, 2, LONG_EPOCHS));
        StudyDb db = new StudyDb(Database.fileUrl(results));
        try (ChildThaw driver = ChildThaw.start(dir.resolve("driver.log"), "run", study.toString())) {
            awaitDatabase(results, driver);
            awaitRunning(db, "driven", driver);
            StudyRecord before = db.study("driven").orElseThrow();

            Cli second = Cli.run("run", study.toString());
            assertEquals(ThawCli.EXIT_BUSY, second.exit(), second.toString());
            String error = second.err().strip();
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.startsWith("error: study 'driven' is being driven by pid " + driver.pid()
                    + " on this machine ("), error);
            assertTrue(error.matches(".* since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\d+ s ago\\); this run "
                    + "leaves it alone; watch it with: .*; stop it with: .*"), error);
            assertEquals("", second.out(), "refused before loading anything");
            assertEquals(before, db.study("driven").orElseThrow(), "the refused run changed nothing");

            String watch = Cli.printed(error, "watch it with: ");
            assertEquals("scripts/thaw trials driven --results '" + results + "'", watch);
            Cli watched = Cli.runPrinted(watch);
            assertEquals(0, watched.exit(), watched.toString());
            assertTrue(watched.out().startsWith("study driven (RUNNING)"), watched.out());

            String stop = Cli.printed(error, "stop it with: ");
            assertEquals("scripts/thaw stop driven --reason 'stopped by hand' --results '" + results + "'", stop);
            Cli stopped = Cli.runPrinted(stop);
            assertEquals(0, stopped.exit(), stopped.toString());
            assertTrue(stopped.out().startsWith("asked study driven to stop after its running trials: stopped by hand"),
                    stopped.out());
            assertEquals(0, driver.waitFor(180), driver.output());
            assertTrue(driver.output().contains("study driven stopped: by request: stopped by hand"), driver.output());

            String resume = Cli.printed(stopped.out(), "continue it with: ");
            assertEquals("scripts/thaw resume driven --results '" + results + "'", resume);
            assertEquals(resume, Cli.printed(driver.output(), "continue it with: "), "the run says so too");
            Cli resumed = Cli.runPrinted(resume);
            assertEquals(0, resumed.exit(), resumed.toString());
            List<TrialRecord> all = db.trials("driven");
            assertEquals(2, all.size(), all.toString());
            all.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));

            Cli trials = Cli.runPrinted(Cli.printed(resumed.out(), "see all trials with: "));
            assertEquals(0, trials.exit(), trials.toString());
            assertTrue(trials.out().startsWith("study driven (COMPLETE)"), trials.out());
        }
    }

    @Test
    void aRunAfterItsDriverWasKilledTakesOverAtOnceAndSaysFromWhom() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("killed.yaml");
        Files.writeString(study, StudyFiles.tiny("killed", f.data, f.sourceModel, results, 1, KILLED_EPOCHS));
        long pid;
        try (ChildThaw driver = ChildThaw.start(dir.resolve("driver.log"), "run", study.toString())) {
            awaitDatabase(results, driver);
            awaitRunning(new StudyDb(Database.fileUrl(results)), "killed", driver);
            pid = driver.pid();
            driver.kill9();
        }
        Cli again = Cli.run("run", study.toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().lines().findFirst().orElseThrow().matches("study killed was driven by pid " + pid
                + " on this machine \\(.+\\) since \\S+ \\(\\d+ s ago\\), which is no longer running; this run takes "
                + "over"), again.out());
        assertEquals(TrialState.COMPLETE, new StudyDb(Database.fileUrl(results)).trials("killed").get(0).state());
    }

    @Test
    void theCommandsThatRunTrialsServeAndExportSuggestRunAsPrinted() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("my results");
        Path model = dir.resolve("source model.zip");
        Files.copy(f.sourceModel, model);
        Path study = dir.resolve("hinted.yaml");
        String text = StudyFiles.tiny("hinted", f.data, model, results, 1, 1);

        Files.writeString(study, text.replace("unfreeze_depth: {type: int, low: 0, high: 3}",
                "unfreeze_depth: {type: choice, values: [0, 7]}"));
        Cli deep = Cli.run("run", study.toString());
        assertEquals(2, deep.exit(), deep.toString());
        String inspect = Cli.printed(deep.err(), "see them with: ");
        assertEquals("scripts/thaw inspect-model '" + model + "'", inspect);
        Cli inspected = Cli.runPrinted(inspect);
        assertEquals(0, inspected.exit(), inspected.toString());
        assertTrue(inspected.out().contains("backbone: 3 blocks"), inspected.out());

        Files.writeString(study, text);
        Cli run = Cli.run("run", study.toString(), "--serve", "--port", "0");
        assertEquals(0, run.exit(), run.toString());
        Cli trials = Cli.runPrinted(Cli.printed(run.out(), "see all trials with: "));
        assertEquals(0, trials.exit(), trials.toString());
        assertTrue(trials.out().startsWith("study hinted (COMPLETE)"), trials.out());
        String serve = Cli.printed(run.out(), "keep serving it with: ");
        assertEquals("scripts/thaw serve --results '" + results + "' --port 0", serve);
        try (ChildThaw server = ChildThaw.startPrinted(dir.resolve("serve.log"), serve)) {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
            while (!server.output().contains("leaderboard: http://127.0.0.1:")) {
                assertTrue(server.alive() && Instant.now().isBefore(giveUp), server.output());
                Thread.sleep(100);
            }
        }

        Cli unknown = Cli.run("trials", "nope", "--results", results.toString());
        assertEquals(2, unknown.exit(), unknown.toString());
        Cli studies = Cli.runPrinted(Cli.printed(unknown.err(), "list the studies with: "));
        assertEquals(0, studies.exit(), studies.toString());
        assertTrue(studies.out().startsWith("hinted "), studies.out());

        Path best = dir.resolve("it's best").resolve("best.yaml");
        Cli export = Cli.run("export", "hinted", "--out", best.toString(), "--results", results.toString());
        assertEquals(0, export.exit(), export.toString());
        String rerun = Cli.printed(export.out(), "re-run it with: ");
        assertEquals("scripts/thaw run '" + best.toString().replace("'", "'\\''") + "'", rerun);
        assertTrue(Files.readString(best).contains("\n# Run it again with: " + rerun + "\n"), Files.readString(best));
        Cli rerunning = Cli.runPrinted(rerun);
        assertEquals(0, rerunning.exit(), rerunning.toString());
        assertEquals(1, new StudyDb(Database.fileUrl(results)).trials("hinted-best").size());
    }

    @Test
    void theMissingSourceModelsPretrainCommandReadsAsPrinted() throws Exception {
        Fixture f = Fixture.get();
        Path model = dir.resolve("no models yet").resolve("source.zip");
        Path study = dir.resolve("unborn.yaml");
        Files.writeString(study, StudyFiles.tiny("unborn", f.data, model, dir.resolve("results"), 1, 1));
        Cli validate = Cli.run("validate", study.toString());
        assertEquals(2, validate.exit(), validate.toString());
        String pretrain = Cli.printed(validate.err(), "for the built-in model run: ");
        assertEquals("scripts/thaw pretrain --out '" + model + "'", pretrain);
        // parsed, not run: pretraining on Fashion-MNIST takes half a minute
        CommandLine.ParseResult parsed = new CommandLine(new ThawCli()).parseArgs(Cli.printedArgs(pretrain));
        assertEquals("pretrain", parsed.subcommand().commandSpec().name());
        assertEquals(model, parsed.subcommand().matchedOptionValue("--out", null));
        assertFalse(Files.exists(model));
    }
}
