package dev.thaw.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded database is never reachable without a secret, and the secret Thaw's processes use never grants more
 * than Thaw's own tables: a generated owner and Thaw user kept in a private file, H2's admin powers refused to Thaw's
 * user, the automatic server on loopback only, and password-less databases moved over on first open.
 */
class DatabaseSecurityTest {
    /** What an H2 admin can do and Thaw's user must not: run code, read and write files, reach other databases. */
    static final List<String> ADMIN_ONLY = List.of(
            "CREATE ALIAS EXEC AS 'String exec(String c) throws Exception { return c; }'",
            "CALL FILE_READ('/etc/passwd')",
            "CALL FILE_WRITE('x', '/tmp/thaw-security-test-written')",
            "SELECT * FROM CSVREAD('/etc/passwd')",
            "CALL CSVWRITE('/tmp/thaw-security-test.csv', 'SELECT 1')",
            "CREATE LINKED TABLE EVIL('org.h2.Driver', 'jdbc:h2:/tmp/thaw-security-test-linked', 'sa', '', 'T')",
            "RUNSCRIPT FROM '/tmp/thaw-security-test.sql'",
            "SCRIPT TO '/tmp/thaw-security-test-dump.sql'",
            "BACKUP TO '/tmp/thaw-security-test.zip'",
            "CREATE USER EVIL PASSWORD 'x' ADMIN",
            "ALTER USER THAW ADMIN TRUE",
            "CREATE TABLE EVIL (X INT)",
            "DROP TABLE TRIAL",
            "ALTER TABLE TRIAL ADD COLUMN EVIL INT",
            "CREATE TRIGGER EVIL BEFORE INSERT ON TRIAL FOR EACH ROW CALL 'org.h2.api.Trigger'",
            "SET WRITE_DELAY 1000",
            "SHUTDOWN");

    @TempDir
    Path dir;

    private static List<String> open(String url, Map<String, String> env) {
        List<String> notices = new ArrayList<>();
        Database.open(url, env, notices::add).close();
        return notices;
    }

    /** What H2's lock file holds while the database is open: the automatic server's address and key. */
    private static Properties lockFile(Path results) throws IOException {
        Properties lock = new Properties();
        try (InputStream in = Files.newInputStream(results.resolve("thaw.lock.db"))) {
            lock.load(in);
        }
        return lock;
    }

    /** Nothing listens on {@code port} at any of this machine's addresses but loopback. */
    private static void unreachableFromOtherMachines(int port) throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    assertThrows(IOException.class, () -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(address, port), 2000);
                        }
                    }, "the automatic server answered at " + address);
                }
            }
        }
    }

    private static boolean refused(String url, String user, String password) {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return false;
        } catch (SQLException e) {
            return e.getMessage().contains("Wrong user name or password");
        }
    }

    @Test
    void aNewDatabaseHasGeneratedPasswordsInAPrivateFileAndThawsUserStaysInItsTables() throws Exception {
        Path results = dir.resolve("results");
        String url = Database.fileUrl(results);
        assertEquals(List.of(), open(url, Map.of()));

        Path file = results.resolve("thaw.credentials");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(results)));
        CredentialsFile stored = CredentialsFile.read(results).orElseThrow();
        assertTrue(stored.owner().password().length() >= 32 && stored.thaw().password().length() >= 32);
        for (String user : new String[]{"sa", "THAW", "THAW_OWNER"}) {
            assertTrue(refused(url, user, ""), user + " without a password");
        }
        try (Database db = Database.open(url, Map.of(), n -> { })) {
            assertEquals(stored.thaw(), db.credentials());
        }

        try (Connection c = DriverManager.getConnection(url, stored.thaw().user(), stored.thaw().password());
             Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM TRIAL").close();
            st.executeQuery("SELECT COUNT(*) FROM QRTZ_LOCKS").close();
            for (String attack : ADMIN_ONLY) {
                SQLException e = assertThrows(SQLException.class, () -> st.execute(attack), attack);
                assertTrue(e.getMessage().contains("Admin rights") || e.getMessage().contains("Not enough rights"),
                        attack + ": " + e.getMessage());
            }
        }
        assertFalse(Files.exists(Path.of("/tmp/thaw-security-test-written")));
        SQLException init = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                url + ";INIT=RUNSCRIPT FROM '/tmp/thaw-security-test.sql'", stored.thaw().user(), stored.thaw().password()));
        assertTrue(init.getMessage().contains("Admin rights"), init.getMessage());
        // commits are durable at once, set by the owner in the database (Thaw's user may not set it)
        try (Connection c = DriverManager.getConnection(url, stored.thaw().user(), stored.thaw().password());
             var rs = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertTrue(rs.next());
            assertEquals("0", rs.getString(1));
        }
    }

    @Test
    void theAutomaticServerListensOnLoopbackOnly() throws Exception {
        Path results = dir.resolve("results");
        try (Database db = Database.open(Database.fileUrl(results), Map.of(), n -> { });
             Connection held = db.dataSource().getConnection()) {
            Properties lock = lockFile(results);
            String server = lock.getProperty("server");
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertTrue(InetAddress.getByName(server.substring(0, server.lastIndexOf(':'))).isLoopbackAddress(), server);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            unreachableFromOtherMachines(port);
            // with the key from the lock file, still no way in without the password
            String remote = "jdbc:h2:tcp://" + server + "/" + lock.getProperty("id");
            for (String user : new String[]{"sa", "THAW", "THAW_OWNER"}) {
                assertTrue(refused(remote, user, ""), user);
            }
        }
    }

    @Test
    void aThawProcessOpensItsAutomaticServerOnLoopbackOnly() throws Exception {
        // in a process of its own: this test JVM is started with H2's settings already made (see pom.xml)
        Path results = dir.resolve("results");
        open(Database.fileUrl(results), Map.of());
        try (dev.thaw.testing.ChildThaw serve = dev.thaw.testing.ChildThaw.start(dir.resolve("serve.log"), "serve",
                "--results", results.toString(), "--port", "0")) {
            serve.awaitLine("serving ");
            Properties lock = lockFile(results);
            String server = lock.getProperty("server");
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            unreachableFromOtherMachines(port);
        }
    }

    @Test
    void aDatabaseMadeWithoutAPasswordMovesToPasswordsOnFirstOpenWithOneLine() throws Exception {
        // (THAW_DB_PASSWORD when it was made, THAW_DB_PASSWORD now): the case is ("", set)
        for (String[] passwords : new String[][]{{"", ""}, {"", "set-now-Password-2"}, {"set-then-Pass-1", "set-then-Pass-1"}}) {
            String passwordThen = passwords[0];
            String passwordNow = passwords[1];
            {
                Path results = dir.resolve("old-" + passwordThen.length() + "-" + passwordNow.length());
                String url = Database.fileUrl(results);
                Flyway.configure().dataSource(url, "sa", passwordThen).locations("classpath:db/migration/common")
                        .javaMigrations(new V2__QuartzJobStore()).target("4").load().migrate();
                try (Connection c = DriverManager.getConnection(url, "sa", passwordThen); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO schedule (name, spec_text, cron, created_at) VALUES ('kept', 'x', "
                            + "'0 0 * * * ?', CURRENT_TIMESTAMP)");
                }
                Map<String, String> env = passwordNow.isEmpty() ? Map.of() : Map.of("THAW_DB_PASSWORD", passwordNow);
                List<String> notices = open(url, env);
                assertEquals(1, notices.size(), notices.toString());
                assertTrue(notices.get(0).contains("thaw.credentials") && notices.get(0).contains(": sa now has a generated password"), notices.get(0));
                assertTrue(refused(url, "sa", passwordThen), "the old login is gone");
                assertEquals(List.of(), open(url, env), "said once");
                CredentialsFile stored = CredentialsFile.read(results).orElseThrow();
                try (Connection c = DriverManager.getConnection(url, stored.thaw().user(), stored.thaw().password());
                     var rs = c.createStatement().executeQuery("SELECT name FROM schedule")) {
                    assertTrue(rs.next());
                    assertEquals("kept", rs.getString(1));
                }
                // its new passwords reached the file before the credentials file named them (a kill -9 right after
                // the move found the old login in force, while H2 held the change for its half-second write delay)
                try (Connection c = DriverManager.getConnection(url, stored.thaw().user(), stored.thaw().password());
                     var rs = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                             + "WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                    assertTrue(rs.next());
                    assertEquals("0", rs.getString(1));
                }
            }
        }
    }

    @Test
    void aProtectedDatabaseWithoutItsCredentialsFileSaysWhatToDo() {
        Path results = dir.resolve("results");
        String url = Database.fileUrl(results);
        open(url, Map.of());
        assertTrue(results.resolve("thaw.credentials").toFile().delete());
        StoreException e = assertThrows(StoreException.class, () -> open(url, Map.of()));
        assertTrue(e.getMessage().contains("thaw.credentials") && e.getMessage().contains("THAW_DB_PASSWORD"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aMoveToPasswordsKilledPartWayLocksNobodyOut() throws Exception {
        for (boolean changed : new boolean[]{false, true}) {
            Path results = dir.resolve("killed-" + changed);
            String url = Database.fileUrl(results);
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/common")
                    .javaMigrations(new V2__QuartzJobStore()).target("4").load().migrate();
            // killed after the pending file was written: before the password changed, or after
            CredentialsFile pending = new CredentialsFile(new Credentials("SA", "pending-Owner-Password-1"),
                    new Credentials("THAW", "pending-Thaw-Password-1"));
            pending.writePending(results);
            if (changed) {
                try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                    st.execute("ALTER USER SA SET PASSWORD 'pending-Owner-Password-1'");
                }
            }
            open(url, Map.of());
            assertFalse(Files.exists(results.resolve(CredentialsFile.PENDING)), "promoted or replaced");
            assertEquals(List.of(), open(url, Map.of()), "and opens as usual from then on");
            assertTrue(refused(url, "sa", ""), "never left without a password");
        }
    }

    @Test
    void aLostCredentialsFileIsRecoveredWithTheOwnersLoginAsTheReadmeSays() throws Exception {
        Path results = dir.resolve("results");
        String url = Database.fileUrl(results);
        open(url, Map.of());
        Credentials owner = CredentialsFile.read(results).orElseThrow().owner();
        Files.delete(results.resolve("thaw.credentials"));
        List<String> notices = open(url, Map.of("THAW_DB_USER", owner.user(), "THAW_DB_PASSWORD", owner.password()));
        assertEquals(1, notices.size(), notices.toString());
        assertEquals(List.of(), open(url, Map.of()), "and from then on as before");
        assertTrue(refused(url, owner.user(), owner.password()), "the owner's password was made anew");
    }

    @Test
    void thawsUserChangingItsOwnPasswordLocksNothingOut() throws Exception {
        Path results = dir.resolve("results");
        String url = Database.fileUrl(results);
        open(url, Map.of());
        Credentials thaw = CredentialsFile.read(results).orElseThrow().thaw();
        try (Connection c = DriverManager.getConnection(url, thaw.user(), thaw.password());
             Statement st = c.createStatement()) {
            st.execute("SET PASSWORD 'changed-by-someone'");
        }
        assertEquals(List.of(), open(url, Map.of()));
        assertFalse(refused(url, thaw.user(), thaw.password()), "the credentials file's password is set again");
    }

    @Test
    void anotherUserOfTheMachineCanNeitherReadTheFilesNorConnect() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs root to act as another user");
        Path results = dir.resolve("results");
        try (Database db = Database.open(Database.fileUrl(results), Map.of(), n -> { });
             Connection held = db.dataSource().getConnection()) {
            for (String name : new String[]{"thaw.mv.db", "thaw.lock.db", "thaw.credentials"}) {
                Path f = results.resolve(name);
                assertTrue(Files.exists(f), name);
                Process cat = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "cat", f.toString())
                        .redirectErrorStream(true).start();
                String out = new String(cat.getInputStream().readAllBytes());
                assertTrue(cat.waitFor() != 0 && out.contains("Permission denied"), name + ": " + out);
            }
            // even told the port and the key, nobody connects without the password
            Properties lock = lockFile(results);
            Path probeDir = Files.createTempDirectory(Path.of("/tmp"), "thaw-probe");
            try {
                Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Files.copy(jar, probeDir.resolve("h2.jar"));
                Files.writeString(probeDir.resolve("Probe.java"), """
                        public class Probe {
                            public static void main(String[] a) {
                                for (String user : new String[]{"sa", "THAW", "THAW_OWNER"}) {
                                    try (var c = java.sql.DriverManager.getConnection(a[0], user, "")) {
                                        System.out.println("IN as " + user);
                                    } catch (java.sql.SQLException e) {
                                        System.out.println("refused " + user + ": " + e.getMessage());
                                    }
                                }
                            }
                        }
                        """);
                for (Path p : List.of(probeDir.resolve("h2.jar"), probeDir.resolve("Probe.java"))) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
                }
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process probe = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", java, "-cp",
                        probeDir.resolve("h2.jar").toString(), probeDir.resolve("Probe.java").toString(),
                        "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id"))
                        .directory(probeDir.toFile()).redirectErrorStream(true).start();
                String out = new String(probe.getInputStream().readAllBytes());
                assertEquals(0, probe.waitFor(), out);
                assertFalse(out.contains("IN as"), out);
                assertEquals(3, out.lines().filter(l -> l.contains("Wrong user name or password")).count(), out);
            } finally {
                try (var files = Files.walk(probeDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
