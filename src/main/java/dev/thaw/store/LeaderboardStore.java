package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialState;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Read-only queries behind the leaderboard: study summaries, one sorted, filtered page of a study's trials (ranked
 * by score in the study's direction; sorting, filtering and paging happen in the database), and change marks that
 * tell a watcher cheaply whether anything it shows has changed.
 */
public final class LeaderboardStore {
    /** The states no move leads out of ({@link TrialState#finished}), as an SQL list. */
    static final String FINISHED = "(" + java.util.Arrays.stream(TrialState.values()).filter(TrialState::finished)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")";
    private static final String SUMMARY = "SELECT s.id, s.name, s.status, s.metric, s.direction, s.budget, "
            + "s.created_at, s.updated_at, "
            + "(SELECT COUNT(*) FROM trial t WHERE t.study_id = s.id AND t.state IN " + FINISHED
            + " AND NOT t.baseline) AS finished, "
            + "(SELECT COUNT(*) FROM trial t WHERE t.study_id = s.id AND t.state = 'RUNNING') AS running, "
            + "(SELECT CASE WHEN s.direction = 'MAXIMIZE' THEN MAX(t.score) ELSE MIN(t.score) END FROM trial t "
            + "WHERE t.study_id = s.id AND " + Ranking.rankedSql("t") + ") AS best FROM study s";

    /** How many trials are PAUSED: a pause (RUNNING → PAUSED) moves none of the other counts a mark holds. */
    private static final String PAUSED_COUNT = "COUNT(CASE WHEN state = 'PAUSED' THEN 1 END)";

    private final Jdbc jdbc;

    public LeaderboardStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Every study, newest first. */
    public List<StudySummary> studies() {
        return jdbc.query(SUMMARY + " ORDER BY s.created_at DESC, s.id DESC", LeaderboardStore::summary);
    }

    public Optional<StudySummary> study(long studyId) {
        return jdbc.queryOne(SUMMARY + " WHERE s.id = ?", LeaderboardStore::summary, studyId);
    }

    public Optional<StudySummary> study(String name) {
        return jdbc.queryOne(SUMMARY + " WHERE s.name = ?", LeaderboardStore::summary, name);
    }

    /**
     * The names of the study's parameters, as recorded with its trials (empty before any trial): every name some
     * trial has, since a parameter inactive in a trial (its condition did not hold) is not recorded with it.
     */
    public List<String> parameters(long studyId) {
        return jdbc.query("SELECT DISTINCT p.name FROM trial_param p JOIN trial t ON t.id = p.trial_id "
                + "WHERE t.study_id = ? ORDER BY p.name", rs -> rs.getString("name"), studyId);
    }

    /**
     * One page of the study's trials, knowing only the parameters its trials record ({@link #page(long, Direction,
     * TrialQuery, Collection)} with none declared).
     */
    public TrialPage page(long studyId, Direction direction, TrialQuery q) {
        return page(studyId, direction, q, List.of());
    }

    /**
     * One page of the study's trials. Rank counts among COMPLETE trials (ties share a rank); rows without a value
     * in the sort column (a parameter inactive in the trial) come last whatever the order; ties are broken by trial
     * number.
     *
     * @param declared the study's parameters as its study file names them: one that no trial records yet (a
     *                 conditional parameter never active so far) sorts every row as without a value and filters
     *                 every row out, as a parameter inactive in each trial does
     * @throws IllegalArgumentException when the query sorts or filters by a parameter the study does not have
     */
    public TrialPage page(long studyId, Direction direction, TrialQuery q, Collection<String> declared) {
        boolean bySortParam = q.column().isEmpty();
        if (bySortParam && !declared.contains(q.sort()) && !hasParameter(studyId, q.sort())) {
            throw new IllegalArgumentException("cannot sort by '" + q.sort() + "': not a column (" + columnNames()
                    + ") nor a parameter of this study (" + known(studyId, declared) + ")");
        }
        q.filter().filter(f -> !declared.contains(f.name()) && !hasParameter(studyId, f.name())).ifPresent(f -> {
            throw new IllegalArgumentException("cannot filter by '" + f.name() + "': not a parameter of this study ("
                    + known(studyId, declared) + ")");
        });
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE r.study_id = ?");
        args.add(studyId);
        if (!q.states().isEmpty()) {
            where.append(" AND r.state IN (").append(q.states().stream().map(x -> "?").collect(Collectors.joining(", ")))
                    .append(")");
            q.states().stream().map(TrialState::name).sorted().forEach(args::add);
        }
        q.filter().ifPresent(f -> where.append(" AND ").append(filter(f, args)));
        int total = jdbc.queryOne("SELECT COUNT(*) AS n FROM trial r" + where, rs -> rs.getInt("n"), args.toArray())
                .orElse(0);
        List<Object> pageArgs = new ArrayList<>(args);
        List<String> sortBy;
        if (bySortParam) {
            // a scalar subquery per row sorts about twice as fast in H2 as a join on trial_param
            sortBy = List.of("(SELECT " + (numeric(studyId, q.sort()) ? "num_value" : "text_value") + " FROM "
                    + "trial_param sp WHERE sp.trial_id = r.id AND sp.name = ?)");
            pageArgs.add(q.sort());
        } else {
            sortBy = sortExpressions(q, direction);
        }
        pageArgs.add(q.limit());
        pageArgs.add(q.offset());
        String order = (q.ascending() ? " ASC" : " DESC") + " NULLS LAST, ";
        // sort narrow rows (ids), then read the page's trials: H2 sorts whole rows before it applies LIMIT
        List<Long> ids = jdbc.query("SELECT r.id FROM trial r" + where + " ORDER BY " + String.join(order, sortBy)
                + order + "r.number ASC LIMIT ? OFFSET ?", rs -> rs.getLong("id"), pageArgs.toArray());
        List<TrialRow> rows = rows(ids);
        if (rows.isEmpty()) {
            return new TrialPage(total, rows);
        }
        double[] ranked = rankedScores(studyId, direction);
        Map<Integer, Map<String, Object>> params = params(studyId, rows);
        return new TrialPage(total, rows.stream().map(r -> new TrialRow(Ranking.isRanked(r.state(), r.score(),
                r.baseline()) ? Optional.of(Ranking.rank(r.score().orElseThrow(), ranked, direction)) : Optional.empty(),
                r.number(),
                r.state(), r.score(), params.getOrDefault(r.number(), Map.of()), r.epochs(), r.started(), r.finished(),
                r.durationMillis(), r.error(), r.reason(), r.baseline(), r.scoreSpread())).toList());
    }

    /**
     * Every search trial's objective by epoch, by trial number: the epochs whose objective is known (epochs recorded
     * before Thaw kept the objective have none), for the chart of intermediate values. Trials without such an epoch
     * and the scratch baseline are left out. One query for the whole study.
     */
    public List<TrialCurve> curves(long studyId) {
        record Row(int number, TrialState state, Optional<String> reason, TrialCurve.Point point) {
        }
        List<Row> rows = jdbc.query("SELECT t.number, t.state, t.reason, m.epoch, m.objective FROM trial t "
                + "JOIN epoch_metric m ON m.trial_id = t.id WHERE t.study_id = ? AND NOT t.baseline "
                + "AND m.objective IS NOT NULL ORDER BY t.number, m.epoch", rs -> new Row(rs.getInt("number"),
                TrialState.valueOf(rs.getString("state")), Optional.ofNullable(rs.getString("reason")),
                new TrialCurve.Point(rs.getInt("epoch"), rs.getDouble("objective"))), studyId);
        List<TrialCurve> out = new ArrayList<>();
        for (int from = 0, to; from < rows.size(); from = to) {
            Row first = rows.get(from);
            for (to = from; to < rows.size() && rows.get(to).number() == first.number(); to++) {
                // one trial's epochs, in order
            }
            out.add(new TrialCurve(first.number(), first.state(), first.reason(),
                    rows.subList(from, to).stream().map(Row::point).toList()));
        }
        return out;
    }

    /** The trials with these ids, in the order given. */
    private List<TrialRow> rows(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, TrialRow> byId = new HashMap<>();
        jdbc.query("SELECT id, number, state, score, epochs, started_at, finished_at, error, reason, baseline, "
                + "score_spread "
                + "FROM trial WHERE id IN ("
                + ids.stream().map(i -> "?").collect(Collectors.joining(", ")) + ")", rs -> {
            byId.put(rs.getLong("id"), row(rs));
            return null;
        }, ids.toArray());
        return ids.stream().map(byId::get).toList();
    }

    /** The scores of the study's ranked trials, best first. */
    private double[] rankedScores(long studyId, Direction direction) {
        return jdbc.query("SELECT score FROM trial WHERE study_id = ? AND " + Ranking.rankedSql("") + " ORDER BY "
                        + Ranking.bestFirstSql("", direction), rs -> rs.getDouble("score"), studyId)
                .stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Every trial of the study, ranked ones first (best first, ties by number), then the rest by number: the whole
     * leaderboard, read a page at a time.
     */
    public List<TrialRow> all(long studyId, Direction direction) {
        List<TrialRow> out = new ArrayList<>();
        TrialPage page;
        do {
            page = page(studyId, direction, new TrialQuery("rank", true, java.util.Set.of(), Optional.empty(),
                    TrialQuery.MAX_LIMIT, out.size()));
            out.addAll(page.rows());
        } while (!page.rows().isEmpty() && out.size() < page.total());
        return out;
    }

    private static String filter(TrialQuery.ParamFilter f, List<Object> args) {
        StringBuilder cond = new StringBuilder("EXISTS (SELECT 1 FROM trial_param fp WHERE fp.trial_id = r.id "
                + "AND fp.name = ?");
        args.add(f.name());
        f.value().ifPresent(v -> {
            Optional<Double> number = parseNumber(v);
            if (number.isPresent()) {
                // typed: left to itself, GREATEST(1, ABS(?)) reads the value as an INTEGER, and 1e10 overflows
                cond.append(" AND (fp.text_value = ? OR ABS(fp.num_value - ?) <= 1e-9 * GREATEST(1, "
                        + "ABS(CAST(? AS DOUBLE PRECISION))))");
                args.add(v);
                args.add(number.get());
                args.add(number.get());
            } else {
                cond.append(" AND fp.text_value = ?");
                args.add(v);
            }
        });
        f.min().ifPresent(m -> {
            cond.append(" AND fp.num_value >= ?");
            args.add(m);
        });
        f.max().ifPresent(m -> {
            cond.append(" AND fp.num_value <= ?");
            args.add(m);
        });
        return cond.append(")").toString();
    }

    /**
     * A value that changes whenever anything a study's leaderboard shows changes: a trial added, started, finished,
     * re-queued, paused, thawed or past another epoch, or the study's status or stop request.
     */
    public String mark(long studyId) {
        return jdbc.queryOne("SELECT COUNT(*) || ':' || COALESCE(SUM(epochs), 0) || ':' || COUNT(started_at) || ':' "
                        + "|| COUNT(finished_at) || ':' || COALESCE(SUM(attempts), 0) || ':' || " + PAUSED_COUNT
                        + " || ':' || "
                        + "(SELECT status || COALESCE(stop_request, '') FROM study WHERE id = ?) AS mark "
                        + "FROM trial WHERE study_id = ?", rs -> rs.getString("mark"), studyId, studyId)
                .orElse("");
    }

    /** A value that changes whenever a study is added or removed, changes status, or any trial moves. */
    public String mark() {
        return jdbc.queryOne("SELECT (SELECT COUNT(*) || ':' || COALESCE(SUM(epochs), 0) || ':' || COUNT(started_at) "
                + "|| ':' || COUNT(finished_at) || ':' || COALESCE(SUM(attempts), 0) || ':' || " + PAUSED_COUNT
                + " FROM trial) || ':' || "
                + "(SELECT COUNT(*) || ':' || COALESCE(CAST(MAX(updated_at) AS VARCHAR(64)), '') FROM study) AS mark",
                rs -> rs.getString("mark")).orElse("");
    }

    /** The parameters its trials record and those {@code declared}, by name, for messages. */
    private String known(long studyId, Collection<String> declared) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(parameters(studyId));
        names.addAll(declared);
        return String.join(", ", names);
    }

    /** True when some trial of the study has {@code parameter}. */
    private boolean hasParameter(long studyId, String parameter) {
        return jdbc.queryOne("SELECT 1 AS found FROM trial t JOIN trial_param p ON p.trial_id = t.id "
                + "WHERE t.study_id = ? AND p.name = ? LIMIT 1", rs -> rs.getInt("found"), studyId, parameter)
                .isPresent();
    }

    /** True when the study's parameter holds numbers (as recorded with the first trial that has it). */
    private boolean numeric(long studyId, String parameter) {
        return jdbc.queryOne("SELECT p.kind FROM trial_param p JOIN trial t ON t.id = p.trial_id WHERE t.study_id = ? "
                + "AND p.name = ? ORDER BY t.id LIMIT 1", rs -> rs.getString("kind"), studyId, parameter)
                .map(k -> !k.equals("s")).orElse(true);
    }

    private static List<String> sortExpressions(TrialQuery q, Direction direction) {
        String best = direction == Direction.MAXIMIZE ? "-r.score" : "r.score";
        return q.column().map(c -> List.of(switch (c) {
            case RANK -> "CASE WHEN " + Ranking.rankedSql("r") + " THEN " + best + " END";
            case NUMBER -> "r.number";
            case STATE -> "r.state";
            case SCORE -> "r.score";
            case EPOCHS -> "r.epochs";
            case DURATION -> "(r.finished_at - r.started_at)";
            case STARTED -> "r.started_at";
            case FINISHED -> "r.finished_at";
        })).orElseThrow();
    }

    private Map<Integer, Map<String, Object>> params(long studyId, List<TrialRow> rows) {
        String numbers = rows.stream().map(r -> "?").collect(Collectors.joining(", "));
        List<Object> args = new ArrayList<>();
        args.add(studyId);
        rows.forEach(r -> args.add(r.number()));
        Map<Integer, Map<String, Object>> out = new HashMap<>();
        jdbc.query("SELECT t.number, p.name, p.kind, p.num_value, p.text_value FROM trial t JOIN trial_param p "
                + "ON p.trial_id = t.id WHERE t.study_id = ? AND t.number IN (" + numbers + ") ORDER BY p.name", rs -> {
            out.computeIfAbsent(rs.getInt("number"), k -> new LinkedHashMap<>()).put(rs.getString("name"), Jdbc.paramValue(rs));
            return null;
        }, args.toArray());
        return out;
    }

    private static String columnNames() {
        return java.util.Arrays.stream(TrialQuery.Column.values())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }

    private static Optional<Double> parseNumber(String v) {
        try {
            return Optional.of(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static TrialRow row(ResultSet rs) throws SQLException {
        Optional<Instant> started = Optional.ofNullable(Jdbc.instant(rs, "started_at"));
        Optional<Instant> finished = Optional.ofNullable(Jdbc.instant(rs, "finished_at"));
        Optional<Long> duration = started.flatMap(s -> finished.map(f -> Duration.between(s, f).toMillis()));
        return new TrialRow(Optional.empty(), rs.getInt("number"), TrialState.valueOf(rs.getString("state")),
                Jdbc.optionalDouble(rs, "score"), Map.of(), rs.getInt("epochs"), started, finished, duration,
                Optional.ofNullable(rs.getString("error")), Optional.ofNullable(rs.getString("reason")),
                rs.getBoolean("baseline"), Jdbc.optionalDouble(rs, "score_spread"));
    }

    private static StudySummary summary(ResultSet rs) throws SQLException {
        return new StudySummary(rs.getLong("id"), rs.getString("name"), StudyStatus.valueOf(rs.getString("status")),
                Metric.valueOf(rs.getString("metric")), Direction.valueOf(rs.getString("direction")),
                rs.getInt("budget"), rs.getInt("finished"), rs.getInt("running"), Jdbc.optionalDouble(rs, "best"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
