package dev.thaw.cli;

import dev.thaw.testing.ChildThaw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code thaw db-server} refuses to start without a password, or with a weak one for other machines. */
class DbServerCommandTest {
    @TempDir
    Path dir;

    private int refused(Map<String, String> env, String why, String... extra) throws Exception {
        String[] args = new String[4 + extra.length];
        System.arraycopy(new String[]{"db-server", "--results", dir.resolve("results").toString(), "--port"}, 0, args, 0, 4);
        System.arraycopy(extra, 0, args, 4, extra.length);
        try (ChildThaw server = ChildThaw.start(dir.resolve("server.log"), env, args)) {
            int exit = server.waitFor(60);
            String out = server.output();
            assertTrue(out.contains(why), out);
            assertEquals(1, out.strip().lines().count(), "one line: " + out);
            assertFalse(Files.exists(dir.resolve("results")), "nothing made");
            return exit;
        }
    }

    @Test
    void noPasswordNoServer() throws Exception {
        assertEquals(2, refused(Map.of("THAW_DB_PASSWORD", ""), "set THAW_DB_PASSWORD", "0"));
    }

    @Test
    void theServerServesThawMvDbAloneAndLoadsNoClassAClientNames() throws Exception {
        Path results = dir.resolve("results");
        java.nio.file.Files.createDirectories(results);
        // an old copy without a password beside the database, as a backup from before passwords would be
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + results.resolve("old"),
                "sa", "")) {
            c.createStatement().execute("CREATE TABLE T (X INT)");
        }
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of("THAW_DB_PASSWORD", "db-server-test-Password-9");
        try (ChildThaw server = ChildThaw.start(dir.resolve("server.log"), env, "db-server", "--results",
                results.toString(), "--port", String.valueOf(port))) {
            server.awaitLine("serving ");
            String base = "jdbc:h2:tcp://127.0.0.1:" + port + "/";
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(base + "thaw", "thaw",
                    env.get("THAW_DB_PASSWORD"))) {
                c.createStatement().executeQuery("SELECT COUNT(*) FROM TRIAL").close();
            }
            java.sql.SQLException old = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> java.sql.DriverManager.getConnection(base + "old", "sa", "").close());
            assertTrue(old.getMessage().contains("Wrong user name or password"), old.getMessage());
            java.sql.SQLException made = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> java.sql.DriverManager.getConnection(base + "thaw;DATABASE_EVENT_LISTENER=java.util.Timer",
                            "x", "x").close());
            assertFalse(made.getMessage().contains("ClassCastException"), "the class was made: " + made.getMessage());
        }
    }

    @Test
    void otherMachinesNeedAStrongPassword() throws Exception {
        assertEquals(2, refused(Map.of("THAW_DB_PASSWORD", "secret"), "too weak for --allow-others", "0",
                "--allow-others"));
    }
}
