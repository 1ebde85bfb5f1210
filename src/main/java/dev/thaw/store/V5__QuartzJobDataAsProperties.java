package dev.thaw.store;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Flyway migration 5: Quartz job data goes from serialized Java maps to properties text
 * ({@code org.quartz.jobStore.useProperties=true}; Thaw's job data are ids, written as strings), which spares every
 * trial a Java (de)serialization. Rewrites the job data of jobs and triggers already stored, such as a study's
 * schedules or the trials of an interrupted study, so that they still run.
 */
final class V5__QuartzJobDataAsProperties extends BaseJavaMigration {
    /** Only what Quartz's job data maps are made of may be deserialized. */
    private static final ObjectInputFilter QUARTZ_MAPS = ObjectInputFilter.Config.createFilter(
            "java.lang.*;java.util.*;org.quartz.*;org.quartz.utils.*;!*");

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        rewrite(c, "QRTZ_JOB_DETAILS", "JOB_NAME", "JOB_GROUP");
        rewrite(c, "QRTZ_TRIGGERS", "TRIGGER_NAME", "TRIGGER_GROUP");
    }

    private static void rewrite(Connection c, String table, String name, String group) throws SQLException {
        record Row(String sched, String name, String group, byte[] data) { }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT SCHED_NAME, " + name + ", " + group
                + ", JOB_DATA FROM " + table + " WHERE JOB_DATA IS NOT NULL");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET JOB_DATA = ? WHERE SCHED_NAME = ? AND "
                + name + " = ? AND " + group + " = ?")) {
            for (Row row : rows) {
                if (row.data().length == 0) {
                    continue;
                }
                update.setBytes(1, asProperties(row.data()));
                update.setString(2, row.sched());
                update.setString(3, row.name());
                update.setString(4, row.group());
                update.executeUpdate();
            }
        }
    }

    /** A serialized job data map as the properties text Quartz reads with useProperties (every value a string). */
    static byte[] asProperties(byte[] serialized) throws SQLException {
        Map<?, ?> map;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
            in.setObjectInputFilter(QUARTZ_MAPS);
            map = (Map<?, ?>) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new SQLException("a Quartz job's data cannot be read (" + e + "); delete the database's pending jobs "
                    + "and schedules, or use the Thaw version that wrote them", e);
        }
        Properties properties = new Properties();
        map.forEach((k, v) -> properties.setProperty(String.valueOf(k), String.valueOf(v)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            properties.store(out, "");
        } catch (IOException e) {
            throw new SQLException(e);
        }
        return out.toByteArray();
    }
}
