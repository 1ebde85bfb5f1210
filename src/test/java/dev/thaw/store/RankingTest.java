package dev.thaw.store;

import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One definition of rank and best (issue 10, case 3): a trial stopped early with a high partial score, a scratch
 * baseline that beats the search, a failed and a queued trial, and tied scores, read through every query of the store.
 */
class RankingTest {
    @TempDir
    Path dir;

    private static TrialResult result() {
        return new TrialResult(new ClassificationReport(List.of(0, 1), new int[][]{{1, 0}, {0, 1}}), 0.1,
                Optional.empty(), 1);
    }

    /** Trials 1..7: COMPLETE 0.80, PRUNED 0.95 (stopped), COMPLETE 0.85, COMPLETE 0.85, FAILED, QUEUED, baseline 0.99. */
    private long study(Database db, Direction direction) {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
        long study = studies.createOrContinue("s-" + direction, "t", "h", Metric.VAL_ACCURACY, direction, 5, 1).id();
        Object[][] plan = {{TrialState.COMPLETE, 0.80}, {TrialState.PRUNED, 0.95}, {TrialState.COMPLETE, 0.85},
                {TrialState.COMPLETE, 0.85}, {TrialState.FAILED, null}, {TrialState.QUEUED, null}};
        for (Object[] p : plan) {
            TrialRecord t = trials.create(study, trials.nextNumber(study), new TrialDraft(
                    new Assignment(Map.of("learning_rate", 0.01)), 1, "fp", "t", "d", "j"));
            if (p[0] == TrialState.QUEUED) {
                continue;
            }
            trials.start(t, "w");
            if (p[0] == TrialState.FAILED) {
                trials.fail(t.id(), "diverged");
            } else {
                trials.finish(t.id(), (TrialState) p[0], (Double) p[1], result(),
                        p[0] == TrialState.PRUNED ? "stopped by a user: enough" : null);
            }
        }
        TrialRecord baseline = trials.create(study, trials.nextNumber(study), new TrialDraft(
                new Assignment(Map.of("learning_rate", 0.01)), 1, "fp", "t", "d", "j", true));
        trials.start(baseline, "w");
        trials.finish(baseline.id(), TrialState.COMPLETE, direction == Direction.MAXIMIZE ? 0.99 : 0.01, result(), null);
        return study;
    }

    @Test
    void onlyCompleteSearchTrialsRankAndTiesShareARank() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            long study = study(db, Direction.MAXIMIZE);
            LeaderboardStore board = new LeaderboardStore(db.dataSource());
            List<TrialRow> all = board.all(study, Direction.MAXIMIZE);
            Map<Integer, Optional<Integer>> ranks = all.stream().collect(Collectors.toMap(TrialRow::number, TrialRow::rank));
            assertEquals(Optional.of(1), ranks.get(3));
            assertEquals(Optional.of(1), ranks.get(4), "a tie shares the rank");
            assertEquals(Optional.of(3), ranks.get(1));
            assertEquals(Optional.empty(), ranks.get(2), "a stopped trial is not ranked, whatever its partial score");
            assertEquals(Optional.empty(), ranks.get(5));
            assertEquals(Optional.empty(), ranks.get(6));
            assertEquals(Optional.empty(), ranks.get(7), "the scratch baseline is never ranked");
            assertEquals(List.of(3, 4, 1, 2, 5, 6, 7), all.stream().map(TrialRow::number).toList(),
                    "ranked best first (ties by number), then the rest by number");
            assertEquals(Optional.of("stopped by a user: enough"), all.get(3).reason());

            TrialRecord best = new TrialStore(db.dataSource(), Clock.systemUTC()).best(study, Direction.MAXIMIZE)
                    .orElseThrow();
            assertEquals(3, best.number(), "the lowest number is the best of a tie");
            StudySummary summary = board.study(study).orElseThrow();
            assertEquals(Optional.of(0.85), summary.best(), "the baseline's 0.99 and the stopped 0.95 are not best");
            assertEquals(5, summary.finished(), "finished counts the search's ended trials, never the baseline");

            TrialPage byRankDesc = board.page(study, Direction.MAXIMIZE,
                    new TrialQuery("rank", false, java.util.Set.of(), Optional.empty(), 3, 0));
            assertEquals(List.of(1, 3, 4), byRankDesc.rows().stream().map(TrialRow::number).toList(),
                    "descending rank puts the worst ranked first, unranked still last");
        }
    }

    @Test
    void minimizingRanksTheSmallestFirst() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            long study = study(db, Direction.MINIMIZE);
            List<TrialRow> all = new LeaderboardStore(db.dataSource()).all(study, Direction.MINIMIZE);
            assertEquals(List.of(1, 3, 4), all.stream().filter(r -> r.rank().isPresent()).map(TrialRow::number).toList());
            assertEquals(List.of(1, 2, 2), all.stream().flatMap(r -> r.rank().stream()).toList());
            assertEquals(1, new TrialStore(db.dataSource(), Clock.systemUTC()).best(study, Direction.MINIMIZE)
                    .orElseThrow().number());
        }
    }

    @Test
    void aLeaderboardLongerThanOnePageIsReadWhole() {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            long study = studies.createOrContinue("long", "t", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 600, 1).id();
            for (int i = 0; i < TrialQuery.MAX_LIMIT + 3; i++) {
                trials.create(study, trials.nextNumber(study), new TrialDraft(
                        new Assignment(Map.of("learning_rate", 0.01)), 1, "fp", "t", "d", "j"));
            }
            assertEquals(TrialQuery.MAX_LIMIT + 3, new LeaderboardStore(db.dataSource()).all(study, Direction.MAXIMIZE).size());
        }
    }
}
