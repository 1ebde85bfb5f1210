package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.store.Database;
import dev.thaw.store.ScheduleStore;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.Printable;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Text that comes from the database (names, parameter values, reasons, errors, paths) reaches the terminal inert:
 * escape sequences, BEL, C1 controls and bidirectional overrides are printed as visible {@code \}{@code uXXXX}, and a
 * line break inside a value does not start a line of its own (issue 11, case 7).
 */
class InertOutputTest {
    /** Clears the screen, retitles the terminal window, turns the text red, then reverses what follows. */
    private static final String EVIL = "\u001b[2J\u001b]0;title\u0007\u001b[31mfake\u202eevil\u0085";
    /** {@link #EVIL} as it must be printed. */
    private static final String SHOWN = "\\u001b[2J\\u001b]0;title\\u0007\\u001b[31mfake\\u202eevil\\u0085";

    @TempDir
    Path dir;

    /** Fails when {@code printed} holds a character a terminal acts on, other than the line breaks of the layout. */
    private static void assertInert(Cli cli) {
        for (String printed : List.of(cli.out(), cli.err())) {
            for (char c : printed.toCharArray()) {
                if (Printable.acts(c) && c != '\n') {
                    fail("raw " + Printable.escape(c) + " printed:\n" + Printable.of(printed));
                }
            }
        }
    }

    private static void update(Database db, String sql, Object... args) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            assertEquals(1, s.executeUpdate(), sql);
        }
    }

    @Test
    void aStopReasonSetWhileAStudyRunsIsPrintedInertByRunAndTrials() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("inert.yaml");
        Files.writeString(study, StudyFiles.tiny("inert", f.data, f.sourceModel, results, 2, 500));
        CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("run", study.toString()));
        new StudyDb(Database.fileUrl(results)).await("inert", t -> t.stream().anyMatch(r -> r.epochs() >= 1),
                () -> !run.isDone(), "trial 1 to train");
        // written past the store's own escaping, as an older Thaw or another client could have
        String reason = EVIL + "\r\nspoofed line";
        try (Database db = Database.open(Database.fileUrl(results))) {
            update(db, "UPDATE study SET stop_request = ?, stop_now = TRUE WHERE name = 'inert'", reason);
        }
        Cli finished = run.get();
        assertEquals(0, finished.exit(), finished.toString());
        assertInert(finished);
        assertTrue(finished.out().contains("study inert stopped: by request: " + SHOWN + "\\u000d\\u000aspoofed line"),
                finished.out());
        assertTrue(finished.out().contains("(study stopped: " + SHOWN), finished.out());
        assertFalse(finished.out().contains("\nspoofed"), finished.out());

        Cli table = Cli.run("trials", "inert", "--results", results.toString());
        assertInert(table);
        assertTrue(table.out().contains("study stopped: " + SHOWN), table.out());
        assertFalse(table.out().contains("\nspoofed"), table.out());
        Cli json = Cli.run("trials", "inert", "--json", "--results", results.toString());
        assertInert(json);
        JsonNode trial = new ObjectMapper().readTree(json.out()).get("trials").get(0);
        assertEquals("study stopped: " + reason, trial.get("reason").asText(), "JSON reads back the stored text");
    }

    @Test
    void namesValuesErrorsSchedulesAndPathsFromTheDatabaseArePrintedInert() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        String name = "s" + EVIL;
        Path planted = dir.resolve("model" + EVIL + ".zip");
        Files.writeString(planted, "not a model");
        try (Database db = Database.open(Database.fileUrl(results))) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            StudyRecord s = studies.createOrContinue(name, "name: not-parsed", "h", Metric.VAL_ACCURACY,
                    Direction.MAXIMIZE, 3, 1);
            TrialRecord failed = trials.create(s.id(), 1, new TrialDraft(new Assignment(Map.of("optimizer", EVIL,
                    "learning_rate" + EVIL, 0.01)), 1, "fp", "t", "d", "j"));
            trials.start(failed, "w");
            trials.fail(failed.id(), EVIL);
            TrialRecord cancelled = trials.create(s.id(), 2, new TrialDraft(new Assignment(Map.of("optimizer", "adam",
                    "learning_rate" + EVIL, 0.02)), 1, "fp", "t", "d", "j"));
            trials.cancel(cancelled.id(), EVIL + "\nspoofed line");

            // a study that exports, whose model row names a planted file with an evil name outside its folder
            StudyRecord e = studies.createOrContinue("exp", StudyFiles.tiny("exp", f.data, f.sourceModel, results,
                    1, 1), "h2", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 1, 1);
            studies.recordOutputDir(e.id(), results);
            TrialRecord best = trials.create(e.id(), 1, new TrialDraft(new Assignment(Map.of("learning_rate", 0.01,
                    "batch_size", 8, "dropout", 0.1, "optimizer", "adam", "unfreeze_depth", 1)), 5, "fp", "t", "d", "j"));
            trials.start(best, "w");
            ClassificationReport r = new ClassificationReport(List.of(2, 3), new int[][]{{5, 0}, {1, 4}});
            trials.finish(best.id(), TrialState.COMPLETE, 0.9, new TrialResult(r, 0.3, Optional.empty(), 1), null);
            trials.putArtifact(best.id(), "model", planted);

            ScheduleStore schedules = new ScheduleStore(db.dataSource(), Clock.systemUTC());
            schedules.create("at" + EVIL, "name: x", Optional.of(Instant.now().plusSeconds(3600)), Optional.empty());
            schedules.create("cron", "name: y", Optional.empty(), Optional.of("0 0 2 * * ?" + EVIL));
        }
        String r = results.toString();

        Cli list = Cli.run("trials", "--results", r);
        assertInert(list);
        assertTrue(list.out().contains("s" + SHOWN), list.out());

        Cli table = Cli.run("trials", name, "--results", r);
        assertEquals(0, table.exit(), table.toString());
        assertInert(table);
        assertTrue(table.out().startsWith("study s" + SHOWN + " (RUNNING)"), table.out());
        assertTrue(table.out().contains("learning_rate" + SHOWN), "a parameter's name: " + table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.contains("FAILED") && l.contains(SHOWN + "  " + SHOWN)),
                "its value and its error: " + table.out());
        assertTrue(table.out().contains(SHOWN + "\\u000aspoofed line"), "a reason: " + table.out());
        assertFalse(table.out().contains("\nspoofed"), table.out());

        Cli json = Cli.run("trials", name, "--json", "--results", r);
        assertInert(json);
        assertEquals(name, new ObjectMapper().readTree(json.out()).get("study").asText());

        Cli evilStop = Cli.run("stop", name, "--reason", EVIL, "--results", r);
        assertEquals(2, evilStop.exit(), "such a reason is refused before it is stored: " + evilStop);
        assertInert(evilStop);
        Cli stop = Cli.run("stop", name, "--reason", "diverging", "--results", r);
        assertEquals(0, stop.exit(), stop.toString());
        assertInert(stop);
        assertTrue(stop.out().startsWith("asked study s" + SHOWN + " to stop after its running trials: diverging"),
                stop.out());

        Cli scheduled = Cli.run("schedules", "--results", r);
        assertEquals(0, scheduled.exit(), scheduled.toString());
        assertInert(scheduled);
        assertTrue(scheduled.out().contains("at" + SHOWN), scheduled.out());
        assertTrue(scheduled.out().contains("cron \"0 0 2 * * ?" + SHOWN + "\""), scheduled.out());

        Cli export = Cli.run("export", "exp", "--out", dir.resolve("best.yaml").toString(), "--results", r);
        assertEquals(0, export.exit(), export.toString());
        assertInert(export);
        assertTrue(export.out().contains("model: not copied, refused: " + dir.resolve("model") + SHOWN + ".zip is "
                + "outside the study's models folder"), export.out());

        Cli refused = Cli.run("export", name, "--out", dir.resolve("other.yaml").toString(), "--results", r);
        assertEquals(2, refused.exit(), refused.toString());
        assertInert(refused);
        assertTrue(refused.err().startsWith("error: study 's" + SHOWN + "' has no COMPLETE trial yet"), refused.err());
    }
}
