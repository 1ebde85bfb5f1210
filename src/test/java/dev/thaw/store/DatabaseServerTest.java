package dev.thaw.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code thaw db-server}'s database: only with the password it was started with, only as Thaw's user (no admin
 * powers over TCP), and no other database (a client cannot create one and become its admin).
 */
class DatabaseServerTest {
    private static final String PASSWORD = "server-test-Password-7";

    @TempDir
    Path dir;

    @Test
    void weakPasswordsAreRefusedBeforeAnythingStarts() {
        assertTrue(DatabaseServer.weakness("", false).orElseThrow().contains("THAW_DB_PASSWORD"));
        assertTrue(DatabaseServer.weakness("", true).isPresent());
        assertTrue(DatabaseServer.weakness("short", true).orElseThrow().contains("--allow-others"));
        assertTrue(DatabaseServer.weakness("aaaaaaaaaaaaaaaaaaaaaaaa", true).isPresent(), "one character repeated");
        assertTrue(DatabaseServer.weakness("short", false).isEmpty(), "this machine only: any password");
        assertTrue(DatabaseServer.weakness(PASSWORD, true).isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseServer.start(dir.resolve("results"), "localhost", 0, true, "short", n -> { }));
        assertFalse(Files.exists(dir.resolve("results")), "nothing made");
    }

    @Test
    void onlyThawsUserWithThePasswordGetsInAndOnlyToThawsTables() throws Exception {
        Path results = dir.resolve("results");
        List<String> notices = new ArrayList<>();
        try (DatabaseServer server = DatabaseServer.start(results, "127.0.0.1", 0, false, PASSWORD, notices::add)) {
            assertEquals(List.of(), notices);
            String url = server.url();
            try (Database db = Database.open(url, Map.of("THAW_DB_PASSWORD", PASSWORD), notices::add)) {
                assertEquals("thaw", db.credentials().user());
            }
            assertEquals(List.of(), notices, "Thaw's user is no admin");
            StoreException none = assertThrows(StoreException.class, () -> Database.open(url, Map.of(), n -> { }));
            assertTrue(none.getMessage().contains("THAW_DB_PASSWORD"), none.getMessage());
            for (String[] login : new String[][]{{"sa", ""}, {"THAW", ""}, {"THAW_OWNER", ""}, {"THAW", "wrong"},
                    {"THAW_OWNER", PASSWORD}}) {
                SQLException e = assertThrows(SQLException.class,
                        () -> DriverManager.getConnection(url, login[0], login[1]).close(), login[0]);
                assertTrue(e.getMessage().contains("Wrong user name or password"), e.getMessage());
            }
            try (Connection c = DriverManager.getConnection(url, "thaw", PASSWORD); Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM TRIAL").close();
                for (String attack : DatabaseSecurityTest.ADMIN_ONLY) {
                    assertThrows(SQLException.class, () -> st.execute(attack), attack);
                }
            }
            String other = url.replace("/thaw;", "/evil;");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(other, "evil", "evil").close());
            assertFalse(Files.exists(results.resolve("evil.mv.db")), "no database made for a client");
        }
        // the password it was started with is the one this machine's own processes now use too
        assertEquals(PASSWORD, CredentialsFile.read(results).orElseThrow().thaw().password());
        try (Database db = Database.open(Database.fileUrl(results), Map.of(), n -> { })) {
            assertEquals(PASSWORD, db.credentials().password());
        }
    }
}
