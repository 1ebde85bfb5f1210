package dev.thaw.store;

import org.h2.tools.Server;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * An H2 TCP server over a results directory, so that Thaw processes on several machines share one study database
 * (and form one Quartz cluster). Serves {@code <dir>/thaw.mv.db} and no other database (clients cannot create one);
 * accepts only this machine unless told otherwise; workers log in as Thaw's user, whose password the server is
 * started with and which can read and write Thaw's tables only. H2's TCP protocol is not encrypted.
 */
public final class DatabaseServer implements AutoCloseable {
    /** The shortest password a server that other machines reach accepts. */
    public static final int MIN_NETWORK_PASSWORD = 16;

    private final Server server;
    private final String url;
    private final java.sql.Connection held;

    private DatabaseServer(Server server, String url, java.sql.Connection held) {
        this.server = server;
        this.url = url;
        this.held = held;
    }

    /**
     * Why {@code password} cannot guard a server ({@code allowOthers}: reachable from other machines), if it cannot:
     * empty; or, for other machines, shorter than {@value #MIN_NETWORK_PASSWORD} characters or fewer than 8
     * different ones.
     */
    public static java.util.Optional<String> weakness(String password, boolean allowOthers) {
        if (password.isEmpty()) {
            return java.util.Optional.of("there is no password: set THAW_DB_PASSWORD (here and on every worker) to the "
                    + "password workers log in with, e.g. export THAW_DB_PASSWORD=$(openssl rand -base64 24)");
        }
        if (allowOthers && (password.length() < MIN_NETWORK_PASSWORD || password.chars().distinct().count() < 8)) {
            return java.util.Optional.of("THAW_DB_PASSWORD is too weak for --allow-others (it needs at least "
                    + MIN_NETWORK_PASSWORD + " characters, 8 of them different); make one with: "
                    + "export THAW_DB_PASSWORD=$(openssl rand -base64 24)");
        }
        return java.util.Optional.empty();
    }

    /**
     * Starts the server, after bringing the database's schema up to date and setting Thaw's user's password to
     * {@code password} (kept in the credentials file too, for this machine's own processes).
     *
     * @throws IllegalArgumentException when {@code password} is too weak (see {@link #weakness})
     * @throws StoreException           when the database cannot be opened or the port not taken
     */
    public static DatabaseServer start(Path resultsDir, String host, int port, boolean allowOthers, String password,
                                       Consumer<String> notices) {
        weakness(password, allowOthers).ifPresent(w -> {
            throw new IllegalArgumentException(w);
        });
        Path dir = resultsDir.toAbsolutePath().normalize();
        // H2 reads these once, when it first loads: its server sockets listen on loopback unless other machines may
        // connect; and no client can make it instantiate a class of its naming (a URL's DATABASE_EVENT_LISTENER is
        // made before the password is checked)
        Database.h2Setting("h2.bindAddress", allowOthers ? "0.0.0.0" : "127.0.0.1");
        Database.onlyH2Classes();
        String fileUrl = "jdbc:h2:file:" + dir + "/thaw";
        // Create or migrate the database here, so that the server never creates databases for clients.
        Database.open(fileUrl, notices).close();
        CredentialsFile stored = CredentialsFile.read(dir).orElseThrow();
        if (!stored.thaw().password().equals(password)) {
            Credentials thaw = new Credentials(stored.thaw().user(), password);
            try {
                DatabaseUsers.setPassword(fileUrl, stored.owner(), thaw);
            } catch (SQLException e) {
                throw new StoreException("cannot set the password of " + thaw.user() + " on " + fileUrl + ": "
                        + Database.rootMessage(e), e);
            }
            stored.withThaw(thaw).write(dir);
        }
        java.sql.Connection held = null;
        try {
            // held open while serving: a client's URL settings (AUTO_SERVER=TRUE would open one more listener) apply
            // only to a database it opens, and this one is open
            held = DatabaseUsers.connect(fileUrl, CredentialsFile.read(dir).orElseThrow().owner());
            // "-key thaw thaw": the one database name served is thaw, i.e. thaw.mv.db; any other file in the folder
            // (an old copy without a password, say) is not reachable
            String[] local = {"-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifExists",
                    "-key", "thaw", "thaw"};
            String[] args = allowOthers ? append(local, "-tcpAllowOthers") : local;
            Server server = Server.createTcpServer(args);
            server.start();
            return new DatabaseServer(server, "jdbc:h2:tcp://" + host + ":" + server.getPort()
                    + "/thaw;LOCK_TIMEOUT=10000", held);
        } catch (SQLException e) {
            Database.closeQuietly(held);
            throw new StoreException("cannot start the database server on port " + port + ": "
                    + Database.rootMessage(e) + "; is the port in use? choose another with --port", e);
        }
    }

    private static String[] append(String[] args, String arg) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = arg;
        return all;
    }

    /** The JDBC URL workers connect with (as Thaw's user, {@code THAW_DB_USER} unset, with THAW_DB_PASSWORD). */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop();
        Database.closeQuietly(held);
    }
}
