package dev.thaw.store;

import dev.thaw.study.Printable;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Studies in the database. Safe to share between threads; every call is its own transaction. */
public final class StudyStore {
    private static final String COLUMNS =
            "id, name, spec_text, spec_hash, metric, direction, budget, slots, status, stop_request, stop_now, "
            + "created_at, updated_at";

    private final Jdbc jdbc;
    private final Clock clock;

    public StudyStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /**
     * Creates the study, or continues the one of that name when its hash matches: the stored study file, budget and
     * slots are then replaced by the given ones, a pending stop request is cleared and the study is marked RUNNING.
     *
     * @param specHash identifies what the trials depend on; a study of the same name with another hash is refused
     * @throws StudyConflictException when the name is taken by a different study
     */
    public StudyRecord createOrContinue(String name, String specText, String specHash, Metric metric,
                                        Direction direction, int budget, int slots) {
        Instant now = clock.instant();
        return jdbc.transaction(c -> {
            List<StudyRecord> existing = Jdbc.query(c,
                    "SELECT " + COLUMNS + " FROM study WHERE name = ? FOR UPDATE", StudyStore::map, name);
            if (existing.isEmpty()) {
                Jdbc.insert(c, "INSERT INTO study (name, spec_text, spec_hash, metric, direction, budget, slots, "
                                + "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        name, specText, specHash, metric.name(), direction.name(), budget, slots,
                        StudyStatus.RUNNING.name(), now, now);
            } else if (!existing.get(0).specHash().equals(specHash)) {
                throw new StudyConflictException("a study named '" + name + "' already exists with a different "
                        + "study file; give this one another name, or export the old one first");
            } else {
                Jdbc.update(c, "UPDATE study SET spec_text = ?, budget = ?, slots = ?, status = ?, stop_request = NULL, "
                        + "stop_now = FALSE, updated_at = ? WHERE name = ?",
                        specText, budget, slots, StudyStatus.RUNNING.name(), now, name);
            }
            return Jdbc.query(c, "SELECT " + COLUMNS + " FROM study WHERE name = ?", StudyStore::map, name).get(0);
        });
    }

    public Optional<StudyRecord> find(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM study WHERE name = ?", StudyStore::map, name);
    }

    public List<StudyRecord> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM study ORDER BY created_at, id", StudyStore::map);
    }

    public void setStatus(long studyId, StudyStatus status) {
        jdbc.update("UPDATE study SET status = ?, updated_at = ? WHERE id = ?", status.name(), clock.instant(), studyId);
    }

    /**
     * Makes {@code driver} the one process that adds trials to the study, unless another driver's heartbeat is
     * younger than {@code staleAfter}; a driver calls this again as its heartbeat. False when another drives it.
     * The lease's start ({@link DriverLease#since}) is kept across renewals and set anew when the driver changes.
     */
    public boolean claimDriver(long studyId, String driver, Duration staleAfter) {
        Instant now = clock.instant();
        return jdbc.update("UPDATE study SET driver_since = CASE WHEN driver = ? THEN COALESCE(driver_since, ?) "
                + "ELSE ? END, driver = ?, driver_heartbeat_at = ? WHERE id = ? AND (driver IS NULL OR driver = ? "
                + "OR driver_heartbeat_at < ?)", driver, now, now, driver, now, studyId, driver,
                now.minus(staleAfter)) == 1;
    }

    /**
     * Hands the study's lease from {@code from} (a driver known to be dead) to {@code driver}, whatever the age of
     * the lease; false when {@code from} no longer holds it (another process was quicker).
     */
    public boolean takeOverDriver(long studyId, String from, String driver) {
        Instant now = clock.instant();
        return jdbc.update("UPDATE study SET driver = ?, driver_since = ?, driver_heartbeat_at = ? WHERE id = ? "
                + "AND driver = ?", driver, now, now, studyId, from) == 1;
    }

    /** The study's driver lease, while a driver holds one. */
    public Optional<DriverLease> lease(long studyId) {
        return jdbc.queryOne("SELECT driver, driver_since, driver_heartbeat_at FROM study WHERE id = ? "
                + "AND driver IS NOT NULL", rs -> {
                    Instant renewed = Jdbc.instant(rs, "driver_heartbeat_at");
                    Instant since = Jdbc.instant(rs, "driver_since");
                    return new DriverLease(rs.getString("driver"), since != null ? since : renewed, renewed);
                }, studyId);
    }

    public void releaseDriver(long studyId, String driver) {
        jdbc.update("UPDATE study SET driver = NULL, driver_since = NULL, driver_heartbeat_at = NULL WHERE id = ? "
                + "AND driver = ?", studyId, driver);
    }

    /**
     * Records the folder the study's {@code output.dir} names here, absolute and normalised, unless one is recorded
     * already: the first run's folder stays the study's (its kept models are checked against it, see
     * {@link KeptFile}).
     */
    public void recordOutputDir(long studyId, Path dir) {
        jdbc.update("UPDATE study SET output_dir = ? WHERE id = ? AND output_dir IS NULL",
                dir.toAbsolutePath().normalize().toString(), studyId);
    }

    /** The study's output folder as its first run recorded it (absolute); empty for a study recorded without one. */
    public Optional<Path> outputDir(long studyId) {
        return jdbc.queryOne("SELECT output_dir FROM study WHERE id = ?", rs -> rs.getString("output_dir"), studyId)
                .filter(java.util.Objects::nonNull).map(Path::of);
    }

    /** Asks the study to stop adding trials; with {@code now}, its running trials stop too. */
    public void requestStop(long studyId, String reason, boolean now) {
        reason = Printable.of(reason); // anyone's text, shown on terminals and pages: one inert line
        jdbc.update("UPDATE study SET stop_request = ?, stop_now = ?, updated_at = ? WHERE id = ?", reason, now,
                clock.instant(), studyId);
    }

    public Optional<StudyRecord> find(long studyId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM study WHERE id = ?", StudyStore::map, studyId);
    }

    public StudyRecord get(long studyId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM study WHERE id = ?", StudyStore::map, studyId)
                .orElseThrow(() -> new StoreException("no study with id " + studyId));
    }

    private static StudyRecord map(ResultSet rs) throws SQLException {
        return new StudyRecord(rs.getLong("id"), rs.getString("name"), rs.getString("spec_text"),
                rs.getString("spec_hash"), Metric.valueOf(rs.getString("metric")),
                Direction.valueOf(rs.getString("direction").toUpperCase(Locale.ROOT)), rs.getInt("budget"),
                rs.getInt("slots"), StudyStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("stop_request")), rs.getBoolean("stop_now"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
