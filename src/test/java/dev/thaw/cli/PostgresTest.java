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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same user path on PostgreSQL, the other shared database of a cluster: migrations, Quartz's PostgreSQL
 * delegate with two slots, trials, export and the leaderboard queries. Needs a PostgreSQL server: .ci/run starts
 * one and sets THAW_TEST_POSTGRES_URL (credentials in the URL); the test wipes that database's public schema.
 */
@EnabledIfEnvironmentVariable(named = "THAW_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresTest {
    private static final String URL = System.getenv("THAW_TEST_POSTGRES_URL");

    @TempDir
    Path dir;

    @Test
    void aStudyRunsOnPostgresql() throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
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

        try (Database db = Database.open(URL)) {
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
