package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.TrialState;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of {@code thaw run} at several points, then {@code thaw run} again: completed trials survive
 * unchanged, interrupted ones run again, no number is used twice, the study ends with exactly its budget, and it
 * proposed exactly the trials an uninterrupted run proposes.
 */
class CrashRecoveryTest {
    private static final int BUDGET = 5;

    @TempDir
    Path dir;

    private List<TrialRecord> trials(Path results) {
        return Files.exists(results.resolve("thaw.mv.db")) ? new StudyDb(Database.fileUrl(results)).trials("crash")
                : List.of();
    }

    private void await(Path results, ChildThaw child, Predicate<List<TrialRecord>> condition, String what)
            throws Exception {
        Files.createDirectories(results);
        while (!Files.exists(results.resolve("thaw.mv.db"))) {
            if (!child.alive()) {
                throw new AssertionError("thaw exited before creating its database:\n" + child.output());
            }
            Thread.sleep(50);
        }
        try {
            new StudyDb(Database.fileUrl(results)).await("crash", condition, child::alive, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthaw's output:\n" + child.output(), e);
        }
    }

    private static long count(List<TrialRecord> trials, TrialState state) {
        return trials.stream().filter(t -> t.state() == state).count();
    }

    @Test
    void killedAtAnyPointTheStudyEndsWithExactlyItsBudget() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("crash.yaml");
        // TPE, modelling from the third trial on: its proposals depend on the scores of the trials before them
        Files.writeString(study, StudyFiles.tiny("crash", f.data, f.sourceModel, results, BUDGET, 20)
                .replace("algorithm: random", "algorithm: tpe\n  tpe: {startup_trials: 2}"));
        List<TrialRecord> survivors = new ArrayList<>();
        List<Predicate<List<TrialRecord>>> killPoints = List.of(
                t -> t.stream().anyMatch(r -> r.state() == TrialState.RUNNING && r.epochs() >= 1),  // during a trial
                t -> count(t, TrialState.COMPLETE) > survivors.size(),                            // as one ends
                t -> !t.isEmpty());                                                               // at a DB write
        List<String> names = List.of("during a trial", "between trials", "during a database write");
        for (int k = 0; k < killPoints.size(); k++) {
            try (ChildThaw child = ChildThaw.start(dir.resolve("run-" + k + ".log"), "run", study.toString())) {
                await(results, child, killPoints.get(k), names.get(k));
                child.kill9();
            }
            List<TrialRecord> after = trials(results);
            after.stream().filter(t -> t.state() == TrialState.COMPLETE)
                    .filter(t -> survivors.stream().noneMatch(s -> s.id() == t.id())).forEach(survivors::add);
        }
        try (ChildThaw child = ChildThaw.start(dir.resolve("final.log"), "run", study.toString())) {
            assertEquals(0, child.waitFor(300), child.output());
        }
        List<TrialRecord> all = trials(results);
        assertEquals(BUDGET, all.size(), all.toString());
        assertEquals(IntStream.rangeClosed(1, BUDGET).boxed().toList(), all.stream().map(TrialRecord::number).toList());
        all.forEach(t -> assertTrue(t.state().finished(), t.toString()));
        for (TrialRecord before : survivors) {
            TrialRecord now = all.stream().filter(t -> t.id() == before.id()).findFirst().orElseThrow();
            assertEquals(before, now, "a completed trial is never touched again");
        }
        assertTrue(all.stream().anyMatch(t -> t.attempts() > 1), "an interrupted trial ran again: " + all);
        assertTrue(all.stream().allMatch(t -> t.state() == TrialState.COMPLETE), all.toString());

        // a budget raised after the kills: proposals come from the history alone, so re-run trials shift nothing
        Files.writeString(study, Files.readString(study).replace("trials: " + BUDGET, "trials: " + (BUDGET + 1)));
        try (ChildThaw child = ChildThaw.start(dir.resolve("raised.log"), "run", study.toString())) {
            assertEquals(0, child.waitFor(300), child.output());
        }
        List<TrialRecord> raised = trials(results);
        assertEquals(BUDGET + 1, raised.size(), raised.toString());
        assertTrue(raised.stream().allMatch(t -> t.state() == TrialState.COMPLETE), raised.toString());

        // the same study run once without a kill, with the raised budget from the start: it proposes the same trials
        Path calm = dir.resolve("calm");
        Path calmStudy = dir.resolve("calm.yaml");
        Files.writeString(calmStudy, Files.readString(study).replace(results.toString(), calm.toString()));
        try (ChildThaw child = ChildThaw.start(dir.resolve("calm.log"), "run", calmStudy.toString())) {
            assertEquals(0, child.waitFor(300), child.output());
        }
        assertEquals(raised.stream().map(TrialRecord::assignment).toList(),
                trials(calm).stream().map(TrialRecord::assignment).toList(),
                "killed and resumed three times, and its budget raised, the study proposed what an uninterrupted one did");
    }
}
