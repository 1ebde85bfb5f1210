package dev.thaw.store;

import dev.thaw.study.Printable;
import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.Misclassification;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trials in the database: their creation, state moves (checked against {@link TrialState}'s transition table),
 * per-epoch metrics, final scores and artifacts. Safe to share between threads; every call is its own transaction.
 */
public final class TrialStore {
    private static final String COLUMNS = "id, study_id, number, state, score, epochs, error, seed, "
            + "dataset_fingerprint, thaw_version, dl4j_version, java_version, created_at, started_at, finished_at, "
            + "worker, reason, attempts, baseline, score_spread";

    private final Jdbc jdbc;
    private final Clock clock;

    public TrialStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /** Adds trial {@code number} of the study in state QUEUED. */
    public TrialRecord create(long studyId, int number, TrialDraft draft) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long id = jdbc.transaction(c -> {
            long trialId = Jdbc.insert(c, "INSERT INTO trial (study_id, number, state, seed, dataset_fingerprint, "
                            + "thaw_version, dl4j_version, java_version, created_at, baseline) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    studyId, number, TrialState.QUEUED.name(), draft.seed(), draft.datasetFingerprint(),
                    draft.thawVersion(), draft.dl4jVersion(), draft.javaVersion(), now, draft.baseline());
            List<Object[]> rows = new java.util.ArrayList<>();
            for (var e : draft.assignment().values().entrySet()) {
                Object v = e.getValue();
                String kind = v instanceof Integer || v instanceof Long ? "i" : v instanceof Number ? "f" : "s";
                rows.add(new Object[]{trialId, e.getKey(), kind, v instanceof Number n ? n.doubleValue() : null,
                        v instanceof Number ? null : String.valueOf(v)});
            }
            Jdbc.batch(c, "INSERT INTO trial_param (trial_id, name, kind, num_value, text_value) VALUES (?, ?, ?, ?, ?)",
                    rows);
            return trialId;
        });
        return new TrialRecord(id, studyId, number, TrialState.QUEUED, draft.assignment(), Optional.empty(), 0,
                Optional.empty(), draft.seed(), draft.datasetFingerprint(), draft.thawVersion(), draft.dl4jVersion(),
                draft.javaVersion(), now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                draft.baseline(), Optional.empty());
    }

    /** The next free trial number of a study (1 for the first). */
    public int nextNumber(long studyId) {
        return jdbc.queryOne("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM trial WHERE study_id = ?",
                rs -> rs.getInt("n"), studyId).orElse(1);
    }

    /**
     * QUEUED → RUNNING on {@code worker}: stamps the start (a thawed trial keeps its first: its time runs from there,
     * pauses included), the first heartbeat, and counts the attempt.
     *
     * @return the trial as it now stands
     */
    public TrialRecord start(TrialRecord trial, String worker) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        moving(trial.id(), TrialState.RUNNING, c -> Jdbc.update(c, "UPDATE trial SET state = ?, "
                        + "started_at = COALESCE(started_at, ?), heartbeat_at = ?, worker = ?, attempts = attempts + 1 "
                        + "WHERE id = ?", TrialState.RUNNING.name(), now, now, worker, trial.id()));
        return trial.started(trial.started().orElse(now), worker);
    }

    /**
     * RUNNING → QUEUED for a trial whose process died, keeping its number and parameters. It runs again from its
     * checkpoint when it has one (a thawed trial: the epochs after the checkpoint's are dropped), from scratch
     * otherwise (all its epochs are dropped).
     */
    public void requeue(long trialId) {
        moving(trialId, TrialState.RUNNING, TrialState.QUEUED, c -> {
            int kept = Jdbc.query(c, "SELECT checkpoint_epoch FROM trial WHERE id = ?",
                    rs -> rs.getInt("checkpoint_epoch"), trialId).get(0); // 0 when NULL: no checkpoint
            Jdbc.update(c, "DELETE FROM epoch_metric WHERE trial_id = ? AND epoch > ?", trialId, kept);
            Jdbc.update(c, "UPDATE trial SET state = ?, started_at = NULL, heartbeat_at = NULL, worker = NULL, "
                    + "epochs = ? WHERE id = ?", TrialState.QUEUED.name(), kept, trialId);
        });
    }

    /**
     * RUNNING → PAUSED after {@code epoch}: the pruner set the trial aside at a rung, its checkpoint written to
     * {@code checkpoint} (a folder). The epochs after {@code epoch} are dropped (there are none unless a rerun left
     * them), the pause is recorded with its reason.
     */
    public void pause(long trialId, int epoch, String reason, Path checkpoint) {
        String line = oneLine(reason);
        Instant now = clock.instant();
        moving(trialId, TrialState.RUNNING, TrialState.PAUSED, c -> {
            Jdbc.update(c, "DELETE FROM epoch_metric WHERE trial_id = ? AND epoch > ?", trialId, epoch);
            Jdbc.update(c, "UPDATE trial SET state = ?, epochs = ?, reason = ?, heartbeat_at = NULL, "
                            + "checkpoint_path = ?, checkpoint_epoch = ? WHERE id = ?", TrialState.PAUSED.name(), epoch,
                    line, checkpoint.toAbsolutePath().normalize().toString(), epoch, trialId);
            Jdbc.replace(c, "trial_pause", 2, List.of("trial_id", "epoch", "reason", "paused_at", "thawed_at"),
                    trialId, epoch, line, now, null);
        });
    }

    /** PAUSED → QUEUED: later results promote the trial; it resumes from its checkpoint on whichever node runs it. */
    public void thaw(long trialId) {
        Instant now = clock.instant();
        moving(trialId, TrialState.PAUSED, TrialState.QUEUED, c -> {
            Jdbc.update(c, "UPDATE trial_pause SET thawed_at = ? WHERE trial_id = ? AND thawed_at IS NULL", now,
                    trialId);
            Jdbc.update(c, "UPDATE trial SET state = ?, reason = NULL, worker = NULL WHERE id = ?",
                    TrialState.QUEUED.name(), trialId); // it keeps its first start: its time runs from there
        });
    }

    /**
     * QUEUED → PAUSED for a thawed trial that had not resumed when its study stopped: it keeps its checkpoint and its
     * last pause stands (marked not thawed again).
     *
     * @throws IllegalTransitionException when it is not QUEUED or has no checkpoint
     */
    public void unthaw(long trialId) {
        moving(trialId, TrialState.QUEUED, TrialState.PAUSED, c -> {
            Integer epoch = Jdbc.query(c, "SELECT checkpoint_epoch FROM trial WHERE id = ?",
                    rs -> (Integer) rs.getObject("checkpoint_epoch"), trialId).get(0);
            if (epoch == null) {
                throw new IllegalTransitionException("trial " + trialId + " has no checkpoint; it cannot pause");
            }
            Jdbc.update(c, "UPDATE trial_pause SET thawed_at = NULL WHERE trial_id = ? AND epoch = ?", trialId, epoch);
            Jdbc.update(c, "UPDATE trial SET state = ?, reason = (SELECT reason FROM trial_pause WHERE trial_id = ? "
                    + "AND epoch = ?) WHERE id = ?", TrialState.PAUSED.name(), trialId, epoch, trialId);
        });
    }

    /** The trial's checkpoint as recorded, while it has one (paused, or thawed and not yet ended). */
    public Optional<Checkpoint> checkpoint(long trialId) {
        return jdbc.queryOne("SELECT checkpoint_path, checkpoint_epoch FROM trial WHERE id = ? "
                + "AND checkpoint_path IS NOT NULL", rs -> new Checkpoint(Path.of(rs.getString("checkpoint_path")),
                rs.getInt("checkpoint_epoch")), trialId);
    }

    /** Every pause of the trial, earliest first, with its thaw when it thawed. */
    public List<Pause> pauses(long trialId) {
        return jdbc.query("SELECT epoch, reason, paused_at, thawed_at FROM trial_pause WHERE trial_id = ? "
                + "ORDER BY paused_at, epoch", rs -> new Pause(rs.getInt("epoch"), rs.getString("reason"),
                Jdbc.instant(rs, "paused_at"), Optional.ofNullable(Jdbc.instant(rs, "thawed_at"))), trialId);
    }

    /**
     * PAUSED → STOPPED: a user stopped a paused trial, which no process runs; the caller deletes its checkpoint.
     *
     * @return the checkpoint it had
     * @throws IllegalTransitionException when the trial is not PAUSED
     */
    public Optional<Checkpoint> stopPaused(long trialId, String reason) {
        Optional<Checkpoint> had = checkpoint(trialId);
        String line = Printable.of(reason);
        moving(trialId, TrialState.PAUSED, TrialState.STOPPED, c -> Jdbc.update(c, "UPDATE trial SET state = ?, "
                        + "reason = ?, stop_request = ?, finished_at = ?, checkpoint_path = NULL, "
                        + "checkpoint_epoch = NULL WHERE id = ?", TrialState.STOPPED.name(), line, line,
                clock.instant(), trialId));
        return had;
    }

    /** A running trial says it is alive. */
    public void heartbeat(long trialId) {
        jdbc.update("UPDATE trial SET heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'", clock.instant(), trialId);
    }

    /** Asks a QUEUED or RUNNING trial to stop; false when it had already finished. */
    public boolean requestStop(long trialId, String reason) {
        reason = Printable.of(reason); // anyone's text, shown on terminals and pages: one inert line
        return jdbc.update("UPDATE trial SET stop_request = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')",
                reason, trialId) == 1;
    }

    /** The reason a stop was asked for, if one was. */
    public Optional<String> stopRequest(long trialId) {
        return jdbc.queryOne("SELECT stop_request FROM trial WHERE id = ?", rs -> rs.getString("stop_request"), trialId);
    }

    /**
     * QUEUED → STOPPED: a trial cancelled before it started, with the reason.
     *
     * @throws IllegalTransitionException when the trial is not QUEUED: one that started since its canceller read it
     *                                    runs to its end (cancelling it would record STOPPED a trial still training,
     *                                    whose end then could not be recorded)
     */
    public void cancel(long trialId, String reason) {
        moving(trialId, TrialState.QUEUED, TrialState.STOPPED, c -> Jdbc.update(c,
                "UPDATE trial SET state = ?, reason = ?, finished_at = ?, checkpoint_path = NULL, "
                        + "checkpoint_epoch = NULL WHERE id = ?",
                TrialState.STOPPED.name(), reason, clock.instant(), trialId));
    }

    /**
     * States and scores of the given trials, by number: what the study driver polls for the trials it has in flight.
     * Primary-key lookups only, so a poll costs the same in a study of ten trials and of ten thousand.
     */
    public List<TrialProgress> progress(java.util.Collection<Long> trialIds) {
        if (trialIds.isEmpty()) {
            return List.of();
        }
        StringBuilder ids = new StringBuilder();
        for (long id : trialIds) {
            ids.append(ids.isEmpty() ? "" : ",").append(id);
        }
        return jdbc.query("SELECT id, number, state, score, epochs, baseline FROM trial WHERE id IN (" + ids + ") ORDER BY number",
                TrialStore::progress);
    }

    /** How many of a study's trials have finished (COMPLETE, PRUNED, STOPPED or FAILED). */
    public int finishedCount(long studyId) {
        return jdbc.queryOne("SELECT COUNT(*) AS n FROM trial WHERE study_id = ? AND state IN "
                + LeaderboardStore.FINISHED, rs -> rs.getInt("n"), studyId).orElse(0);
    }

    /** States and scores of a study's trials, by number: what the study driver polls. */
    public List<TrialProgress> progress(long studyId) {
        return jdbc.query("SELECT id, number, state, score, epochs, baseline FROM trial WHERE study_id = ? "
                + "ORDER BY number",
                TrialStore::progress, studyId);
    }

    private static TrialProgress progress(ResultSet rs) throws SQLException {
        return new TrialProgress(rs.getLong("id"), rs.getInt("number"), TrialState.valueOf(rs.getString("state")),
                Jdbc.optionalDouble(rs, "score"), rs.getInt("epochs"), rs.getBoolean("baseline"));
    }

    public void recordEpoch(long trialId, MetricPoint point) {
        jdbc.transaction(c -> {
            Jdbc.replace(c, "epoch_metric", 2, List.of("trial_id", "epoch", "train_loss", "val_loss", "val_accuracy",
                            "objective", "recorded_at"), trialId, point.epoch(),
                    finiteOrNull(point.trainLoss()), finiteOrNull(point.validationLoss()),
                    point.validationAccuracy(), finiteOrNull(point.objective()), clock.instant());
            return Jdbc.update(c, "UPDATE trial SET epochs = ? WHERE id = ?", point.epoch(), trialId);
        });
    }

    /**
     * Records a finished trial's score and final reports and moves it to COMPLETE, or to PRUNED (by the pruner) or
     * STOPPED (by a user) with the reason it ended early. Its checkpoint, if it had one, is no longer recorded; the
     * caller deletes the folder.
     */
    public void finish(long trialId, TrialState end, double score, TrialResult result, String reason) {
        finish(trialId, end, score, Optional.empty(), result, reason);
    }

    /** As {@link #finish(long, TrialState, double, TrialResult, String)}, with the score's spread over k folds. */
    public void finish(long trialId, TrialState end, double score, Optional<Double> spread, TrialResult result,
                       String reason) {
        if (end != TrialState.COMPLETE && end != TrialState.PRUNED && end != TrialState.STOPPED) {
            throw new IllegalArgumentException("a finished trial ends COMPLETE, PRUNED or STOPPED, not " + end);
        }
        moving(trialId, end, c -> {
            writeReport(c, trialId, "validation", result.validation(), result.validationLoss());
            if (result.test().isPresent()) {
                writeReport(c, trialId, "test", result.test().get(), null);
            }
            List<Object[]> mistakes = new java.util.ArrayList<>();
            for (int i = 0; i < result.misclassified().size(); i++) {
                Misclassification m = result.misclassified().get(i);
                String example = m.example().length() > 1024 ? m.example().substring(0, 1021) + "..." : m.example();
                mistakes.add(new Object[]{trialId, i + 1, example, m.actual(), m.predicted(), m.confidence()});
            }
            Jdbc.batch(c, "INSERT INTO trial_misclassified (trial_id, position, example, actual, predicted, confidence) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", mistakes);
            Jdbc.update(c, "UPDATE trial SET state = ?, score = ?, score_spread = ?, epochs = ?, reason = ?, "
                            + "finished_at = ?, checkpoint_path = NULL, checkpoint_epoch = NULL WHERE id = ?",
                    end.name(), score, spread.filter(Double::isFinite).orElse(null), result.epochs(), reason,
                    clock.instant(), trialId);
        });
    }

    /** The validation images a finished trial's model got most confidently wrong, most confident first. */
    public List<Misclassification> misclassified(long trialId) {
        return jdbc.query("SELECT example, actual, predicted, confidence FROM trial_misclassified WHERE trial_id = ? "
                        + "ORDER BY position", rs -> new Misclassification(rs.getString("example"), rs.getInt("actual"),
                        rs.getInt("predicted"), rs.getDouble("confidence")), trialId);
    }

    /** Moves a trial to FAILED with its one-line reason; its checkpoint, if any, is no longer recorded. */
    public void fail(long trialId, String reason) {
        String clipped = oneLine(reason == null ? "unknown error" : reason);
        moving(trialId, TrialState.FAILED, c ->
                Jdbc.update(c, "UPDATE trial SET state = ?, error = ?, finished_at = ?, checkpoint_path = NULL, "
                                + "checkpoint_epoch = NULL WHERE id = ?",
                        TrialState.FAILED.name(), clipped, clock.instant(), trialId));
    }

    /** The first line of {@code text}, at most 2,000 characters. */
    private static String oneLine(String text) {
        String line = text.lines().findFirst().orElse("unknown error");
        return line.length() > 2000 ? line.substring(0, 1997) + "..." : line;
    }

    public TrialRecord get(long trialId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM trial WHERE id = ?", rs -> map(rs, Map.of()), trialId)
                .map(this::withParams)
                .orElseThrow(() -> new StoreException("no trial with id " + trialId));
    }

    /** A study's trials, by number. */
    public List<TrialRecord> list(long studyId) {
        Map<Long, Map<String, Object>> params = params(studyId);
        return jdbc.query("SELECT " + COLUMNS + " FROM trial WHERE study_id = ? ORDER BY number",
                rs -> map(rs, params.getOrDefault(rs.getLong("id"), Map.of())), studyId);
    }

    /** Every trial of the study as samplers read it: {@link #list} with each trial's per-epoch values. */
    public TrialHistory history(long studyId) {
        Map<Long, List<MetricPoint>> epochs = new HashMap<>();
        jdbc.query("SELECT m.trial_id, m.epoch, m.train_loss, m.val_loss, m.val_accuracy, m.objective "
                        + "FROM epoch_metric m "
                        + "JOIN trial t ON t.id = m.trial_id WHERE t.study_id = ? ORDER BY m.trial_id, m.epoch",
                rs -> epochs.computeIfAbsent(rs.getLong("trial_id"), k -> new ArrayList<>()).add(point(rs)), studyId);
        java.util.Set<Long> stopAsked = new java.util.HashSet<>(jdbc.query("SELECT id FROM trial WHERE study_id = ? "
                + "AND stop_request IS NOT NULL", rs -> rs.getLong("id"), studyId));
        return new TrialHistory(list(studyId).stream()
                .map(t -> historic(t, epochs.getOrDefault(t.id(), List.of()), stopAsked.contains(t.id()))).toList());
    }

    /**
     * {@code t} as {@link #history} gives it, with these per-epoch values; {@code stopAsked} when a stop of this
     * trial itself was requested (a trial turned down, not withdrawn by a stop of the study).
     */
    public static TrialHistory.Trial historic(TrialRecord t, List<MetricPoint> epochs, boolean stopAsked) {
        return new TrialHistory.Trial(t.number(), t.state(), t.assignment(), t.score(), epochs, t.baseline(),
                t.created(), t.started(), t.finished(), stopAsked);
    }

    /** The place of search trial {@code number} among the study's search trials (1 for the first), the baseline apart. */
    public int searchPosition(long studyId, int number) {
        return jdbc.queryOne("SELECT COUNT(*) AS n FROM trial WHERE study_id = ? AND number <= ? AND NOT baseline",
                rs -> rs.getInt("n"), studyId, number).orElse(0);
    }

    /** The study's best trial as {@link Ranking} defines it; empty while no trial is ranked. */
    public Optional<TrialRecord> best(long studyId, Direction direction) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM trial WHERE study_id = ? AND " + Ranking.rankedSql("")
                        + " ORDER BY " + Ranking.bestFirstSql("", direction) + " LIMIT 1",
                rs -> map(rs, Map.of()), studyId).map(this::withParams);
    }

    public List<MetricPoint> epochs(long trialId) {
        return jdbc.query("SELECT epoch, train_loss, val_loss, val_accuracy, objective FROM epoch_metric "
                        + "WHERE trial_id = ? "
                        + "ORDER BY epoch", TrialStore::point, trialId);
    }

    /**
     * When each of the trial's recorded epochs was written, epoch 1 first (the order of {@link #epochs}); the
     * difference between two is an epoch's wall time, and epoch 1's is measured from {@link TrialRecord#started}.
     */
    public List<Instant> epochTimes(long trialId) {
        return jdbc.query("SELECT recorded_at FROM epoch_metric WHERE trial_id = ? ORDER BY epoch",
                rs -> Jdbc.instant(rs, "recorded_at"), trialId);
    }

    private static MetricPoint point(ResultSet rs) throws SQLException {
        return new MetricPoint(rs.getInt("epoch"), nanIfNull(rs, "train_loss"), nanIfNull(rs, "val_loss"),
                rs.getDouble("val_accuracy"), nanIfNull(rs, "objective"));
    }

    /** A finished trial's report on {@code split} ("validation" or "test"), rows ordered as {@code classes}. */
    public Optional<ClassificationReport> report(long trialId, String split, List<Integer> classes) {
        List<int[]> cells = jdbc.query("SELECT actual, predicted, count FROM trial_confusion WHERE trial_id = ? "
                + "AND split = ?", rs -> new int[]{rs.getInt("actual"), rs.getInt("predicted"), rs.getInt("count")},
                trialId, split);
        // classes unknown here (the study file no longer reads on this machine): 0..k-1, k from the matrix itself
        int k = classes.isEmpty()
                ? cells.stream().mapToInt(c -> Math.max(c[0], c[1]) + 1).max().orElse(0) : classes.size();
        List<Integer> labels = classes.isEmpty() ? java.util.stream.IntStream.range(0, k).boxed().toList() : classes;
        int[][] confusion = new int[k][k];
        for (int[] c : cells) {
            if (c[0] < k && c[1] < k) {
                confusion[c[0]][c[1]] = c[2];
            }
        }
        // the scores are the confusion matrix's (one computation, ClassificationReport); the row says a report exists
        return jdbc.queryOne("SELECT 1 AS present FROM trial_score WHERE trial_id = ? AND split = ?",
                rs -> new ClassificationReport(labels, confusion), trialId, split);
    }

    public void putArtifact(long trialId, String kind, Path path) {
        jdbc.transaction(c -> {
            Jdbc.replace(c, "artifact", 2, List.of("trial_id", "kind", "path", "created_at"), trialId, kind,
                    path.toAbsolutePath().normalize().toString(), clock.instant()); // readable from any folder
            return null;
        });
    }

    /**
     * The file of the trial's artifact of {@code kind}, when Thaw may read it: a regular file inside the study's
     * models folder (see {@link KeptFile}); empty when there is none, it is gone, or it is refused.
     */
    public Optional<Path> artifact(long trialId, String kind) {
        return keptFile(trialId, kind).flatMap(KeptFile::file);
    }

    /** The trial's artifact of {@code kind} as recorded, checked (see {@link KeptFile}); empty when none is recorded. */
    public Optional<KeptFile> keptFile(long trialId, String kind) {
        return jdbc.queryOne("SELECT a.path, s.name, s.output_dir FROM artifact a JOIN trial t ON t.id = a.trial_id "
                + "JOIN study s ON s.id = t.study_id WHERE a.trial_id = ? AND a.kind = ?", TrialStore::kept,
                trialId, kind);
    }

    /** Every artifact of {@code kind} in a study, checked (see {@link KeptFile}), by trial id. */
    public Map<Long, KeptFile> artifacts(long studyId, String kind) {
        Map<Long, KeptFile> out = new LinkedHashMap<>();
        jdbc.query("SELECT a.trial_id, a.path, s.name, s.output_dir FROM artifact a JOIN trial t ON t.id = a.trial_id "
                + "JOIN study s ON s.id = t.study_id WHERE t.study_id = ? AND a.kind = ? ORDER BY t.number", rs -> {
            out.put(rs.getLong("trial_id"), kept(rs));
            return null;
        }, studyId, kind);
        return out;
    }

    private static KeptFile kept(ResultSet rs) throws SQLException {
        return KeptFile.check(rs.getString("path"), rs.getString("output_dir"), rs.getString("name"));
    }

    public void removeArtifact(long trialId, String kind) {
        jdbc.update("DELETE FROM artifact WHERE trial_id = ? AND kind = ?", trialId, kind);
    }

    private interface StateWork {
        void run(Connection c) throws SQLException;
    }

    /** Locks the trial, checks that its state may move to {@code next}, then runs {@code work}; one transaction. */
    private void moving(long trialId, TrialState next, StateWork work) {
        moving(trialId, null, next, work);
    }

    /** As {@link #moving(long, TrialState, StateWork)}, and only from state {@code from} (null: from any). */
    private void moving(long trialId, TrialState from, TrialState next, StateWork work) {
        jdbc.transaction(c -> {
            List<String> rows = Jdbc.query(c, "SELECT state FROM trial WHERE id = ? FOR UPDATE",
                    rs -> rs.getString("state"), trialId);
            if (rows.isEmpty()) {
                throw new StoreException("no trial with id " + trialId);
            }
            TrialState current = TrialState.valueOf(rows.get(0));
            if (!current.canMoveTo(next) || from != null && current != from) {
                throw new IllegalTransitionException("trial " + trialId + " is " + current + "; it cannot move to " + next);
            }
            work.run(c);
            return null;
        });
    }

    private static void writeReport(Connection c, long trialId, String split, ClassificationReport r, Double loss)
            throws SQLException {
        Jdbc.replace(c, "trial_score", 2, List.of("trial_id", "split", "accuracy", "precision_macro", "recall_macro",
                        "f1_macro", "loss"), trialId, split, r.accuracy(),
                r.precision(), r.recall(), r.f1(), loss == null ? null : finiteOrNull(loss));
        Jdbc.update(c, "DELETE FROM trial_confusion WHERE trial_id = ? AND split = ?", trialId, split);
        List<Object[]> cells = new java.util.ArrayList<>();
        for (int a = 0; a < r.confusion().length; a++) {
            for (int p = 0; p < r.confusion()[a].length; p++) {
                if (r.confusion()[a][p] != 0) {
                    cells.add(new Object[]{trialId, split, a, p, r.confusion()[a][p]});
                }
            }
        }
        Jdbc.batch(c, "INSERT INTO trial_confusion (trial_id, split, actual, predicted, count) VALUES (?, ?, ?, ?, ?)",
                cells);
    }

    private Map<Long, Map<String, Object>> params(long studyId) {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        jdbc.query("SELECT p.trial_id, p.name, p.kind, p.num_value, p.text_value FROM trial_param p "
                + "JOIN trial t ON t.id = p.trial_id WHERE t.study_id = ? ORDER BY p.trial_id", rs -> {
            out.computeIfAbsent(rs.getLong("trial_id"), k -> new LinkedHashMap<>()).put(rs.getString("name"), Jdbc.paramValue(rs));
            return null;
        }, studyId);
        return out;
    }

    private TrialRecord withParams(TrialRecord r) {
        Map<String, Object> values = new LinkedHashMap<>();
        jdbc.query("SELECT name, kind, num_value, text_value FROM trial_param WHERE trial_id = ?", rs -> {
            values.put(rs.getString("name"), Jdbc.paramValue(rs));
            return null;
        }, r.id());
        return new TrialRecord(r.id(), r.studyId(), r.number(), r.state(), new Assignment(values), r.score(),
                r.epochs(), r.error(), r.seed(), r.datasetFingerprint(), r.thawVersion(), r.dl4jVersion(),
                r.javaVersion(), r.created(), r.started(), r.finished(), r.worker(), r.reason(), r.attempts(),
                r.baseline(), r.scoreSpread());
    }

    private static TrialRecord map(ResultSet rs, Map<String, Object> params) throws SQLException {
        return new TrialRecord(rs.getLong("id"), rs.getLong("study_id"), rs.getInt("number"),
                TrialState.valueOf(rs.getString("state")), new Assignment(params),
                Jdbc.optionalDouble(rs, "score"), rs.getInt("epochs"), Optional.ofNullable(rs.getString("error")),
                rs.getLong("seed"), rs.getString("dataset_fingerprint"), rs.getString("thaw_version"),
                rs.getString("dl4j_version"), rs.getString("java_version"), Jdbc.instant(rs, "created_at"),
                Optional.ofNullable(Jdbc.instant(rs, "started_at")), Optional.ofNullable(Jdbc.instant(rs, "finished_at")),
                Optional.ofNullable(rs.getString("worker")), Optional.ofNullable(rs.getString("reason")),
                rs.getInt("attempts"), rs.getBoolean("baseline"), Jdbc.optionalDouble(rs, "score_spread"));
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double nanIfNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
