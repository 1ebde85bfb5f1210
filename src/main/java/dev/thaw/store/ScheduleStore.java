package dev.thaw.store;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Scheduled studies: the study file to run and when. Every call is its own transaction. */
public final class ScheduleStore {
    private static final String COLUMNS = "id, name, spec_text, at_time, cron, created_at";

    private final Jdbc jdbc;
    private final Clock clock;

    public ScheduleStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /**
     * Adds a schedule.
     *
     * @throws StudyConflictException when a schedule of that name exists
     */
    public ScheduleRecord create(String name, String specText, Optional<Instant> at, Optional<String> cron) {
        if (find(name).isPresent()) {
            throw new StudyConflictException("a schedule named '" + name + "' exists");
        }
        long id = jdbc.transaction(c -> Jdbc.insert(c, "INSERT INTO schedule (name, spec_text, at_time, cron, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", name, specText, at.orElse(null), cron.orElse(null), clock.instant()));
        return get(id).orElseThrow();
    }

    public Optional<ScheduleRecord> get(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM schedule WHERE id = ?", ScheduleStore::map, id);
    }

    public Optional<ScheduleRecord> find(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM schedule WHERE name = ?", ScheduleStore::map, name);
    }

    public List<ScheduleRecord> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM schedule ORDER BY name", ScheduleStore::map);
    }

    public void delete(long id) {
        jdbc.update("DELETE FROM schedule WHERE id = ?", id);
    }

    private static ScheduleRecord map(ResultSet rs) throws SQLException {
        return new ScheduleRecord(rs.getLong("id"), rs.getString("name"), rs.getString("spec_text"),
                Optional.ofNullable(Jdbc.instant(rs, "at_time")), Optional.ofNullable(rs.getString("cron")),
                Jdbc.instant(rs, "created_at"));
    }
}
