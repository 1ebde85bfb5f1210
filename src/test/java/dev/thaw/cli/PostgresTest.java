package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.store.Database;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.StudySummary;
import dev.thaw.store.TrialPage;
import dev.thaw.store.TrialQuery;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same user path on PostgreSQL, the other shared database of a cluster: migrations as the owner, Thaw's role
 * with only the rights it needs, Quartz's PostgreSQL delegate with two slots, trials, export and the leaderboard
 * queries. Needs a PostgreSQL server: .ci/run starts one and sets THAW_TEST_POSTGRES_URL (the database's owner,
 * credentials in the URL) and THAW_TEST_POSTGRES_WORKER_URL (a role that owns nothing); the test wipes that
 * database's public schema.
 */
@EnabledIfEnvironmentVariable(named = "THAW_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
@EnabledIfEnvironmentVariable(named = "THAW_TEST_POSTGRES_WORKER_URL", matches = "jdbc:postgresql:.+")
class PostgresTest {
    private static final String URL = System.getenv("THAW_TEST_POSTGRES_URL");
    /** Thaw's role: a login that owns nothing. */
    private static final String WORKER_URL = System.getenv("THAW_TEST_POSTGRES_WORKER_URL");

    @TempDir
    Path dir;

    /** The URL without its query, and the login its query gave, as environment variables name them. */
    private static String bare(String url) {
        return url.split("\\?", 2)[0];
    }

    private static String param(String url, String name) {
        for (String kv : url.split("\\?", 2)[1].split("&")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    /** An empty schema, then Thaw's tables made by the owner and Thaw's role given its rights on them. */
    private static java.util.List<String> freshSchemaAsOwner() throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
        java.util.List<String> notices = new java.util.ArrayList<>();
        java.util.Map<String, String> env = java.util.Map.of("THAW_DB_USER", param(WORKER_URL, "user"),
                "THAW_DB_PASSWORD", param(WORKER_URL, "password"), "THAW_DB_OWNER", param(URL, "user"),
                "THAW_DB_OWNER_PASSWORD", param(URL, "password"));
        Database.open(bare(URL), env, notices::add).close();
        return notices;
    }

    @Test
    void thawsRoleReadsAndWritesItsTablesAndNothingMore() throws Exception {
        assertEquals(java.util.List.of(), freshSchemaAsOwner(), "Thaw's role is not warned about: it has no more rights");
        try (Connection c = DriverManager.getConnection(WORKER_URL); Statement st = c.createStatement()) {
            // an identity column's sequence too
            st.execute("INSERT INTO schedule (name, spec_text, cron, created_at) VALUES "
                    + "('x', 'x', '0 0 * * * ?', CURRENT_TIMESTAMP)");
            assertEquals(1, st.executeUpdate("DELETE FROM schedule WHERE name = 'x'"));
            for (String attack : new String[]{
                    "CREATE TABLE evil (x INT)",
                    "CREATE FUNCTION evil() RETURNS INT LANGUAGE sql AS 'SELECT 1'",
                    "SELECT pg_read_file('/etc/passwd')",
                    "COPY schedule FROM '/etc/passwd'",
                    "COPY (SELECT 1) TO PROGRAM 'id'",
                    "SELECT lo_import('/etc/passwd')",
                    "CREATE EXTENSION IF NOT EXISTS dblink",
                    "CREATE SCHEMA evil",
                    "DROP TABLE trial",
                    "ALTER TABLE trial ADD COLUMN evil INT",
                    "CREATE ROLE evil LOGIN SUPERUSER"}) {
                assertThrows(java.sql.SQLException.class, () -> st.execute(attack), attack);
            }
        }
    }

    @Test
    void aStudyRunsOnPostgresql() throws Exception {
        freshSchemaAsOwner();
        String URL = WORKER_URL; // every command below as Thaw's role
        Fixture f = Fixture.get();
        Path study = dir.resolve("pg.yaml");
        Files.writeString(study, StudyFiles.tiny("pg-tiny", f.data, f.sourceModel, dir.resolve("results"), 4, 1));

        Cli run = Cli.run("run", study.toString(), "--db", URL, "--slots", "2");
        assertEquals(0, run.exit(), run.toString());
        Cli trials = Cli.run("trials", "pg-tiny", "--db", URL, "--json");
        assertEquals(0, trials.exit(), trials.toString());
        JsonNode json = new ObjectMapper().readTree(trials.out());
        assertEquals(4, json.get("trials").size(), trials.out());
        json.get("trials").forEach(t -> assertEquals("COMPLETE", t.get("state").asText(), t.toString()));
        Cli export = Cli.run("export", "pg-tiny", "--db", URL, "--out", dir.resolve("best.yaml").toString());
        assertEquals(0, export.exit(), export.toString());
        assertTrue(Files.readString(dir.resolve("best.yaml")).contains("name: pg-tiny-best"));

        try (Database db = Database.open(URL, java.util.Map.of(), notice -> { })) {
            LeaderboardStore leaderboard = new LeaderboardStore(db.dataSource());
            StudySummary s = leaderboard.study("pg-tiny").orElseThrow();
            assertEquals(4, s.finished());
            for (String sort : new String[]{"rank", "number", "state", "score", "epochs", "duration", "started",
                    "finished", "learning_rate", "optimizer"}) {
                TrialPage page = leaderboard.page(s.id(), s.direction(),
                        new TrialQuery(sort, false, Set.of(), Optional.empty(), 3, 1));
                assertEquals(4, page.total(), sort);
                assertEquals(3, page.rows().size(), sort);
            }
            assertEquals(4, new StudyStore(db.dataSource(), Clock.systemUTC()).find("pg-tiny").orElseThrow().budget());
            assertTrue(!leaderboard.mark(s.id()).isEmpty() && !leaderboard.mark().isEmpty());
        }
    }
}
