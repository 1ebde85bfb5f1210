package dev.thaw.store;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Flyway migration 2 (Flyway reads the version from the class name): creates Quartz's job-store tables from the table script that ships inside the Quartz jar (H2 or PostgreSQL,
 * chosen by the database), so that trials can be Quartz jobs in the study database.
 */
final class V2__QuartzJobStore extends BaseJavaMigration {
    private static final String SCRIPTS = "/org/quartz/impl/jdbcjobstore/";

    @Override
    public Integer getChecksum() {
        return 2_05_02;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String script = product.contains("postgres") ? "tables_postgres.sql" : "tables_h2.sql";
        try (Statement st = c.createStatement()) {
            for (String sql : statements(read(SCRIPTS + script))) {
                st.execute(sql);
            }
        }
    }

    private static String read(String resource) throws IOException, SQLException {
        try (InputStream in = V2__QuartzJobStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SQLException("Quartz's table script " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's statements without comments, transaction commands or drops of tables that cannot exist yet. */
    static java.util.List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        script.lines().filter(l -> !l.strip().startsWith("--")).forEach(l -> text.append(l).append('\n'));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : text.toString().split(";")) {
            String sql = part.strip();
            String lower = sql.toLowerCase(Locale.ROOT);
            if (!sql.isEmpty() && !lower.equals("commit") && !lower.startsWith("drop table")) {
                out.add(sql);
            }
        }
        return out;
    }
}
