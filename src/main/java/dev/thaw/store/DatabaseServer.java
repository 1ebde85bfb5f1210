package dev.thaw.store;

import org.h2.tools.Server;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * An H2 TCP server over a results directory, so that Thaw processes on several machines share one study database
 * (and form one Quartz cluster). Serves {@code <dir>/thaw.mv.db}; accepts only this machine unless told otherwise.
 */
public final class DatabaseServer implements AutoCloseable {
    private final Server server;
    private final String url;

    private DatabaseServer(Server server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts the server and brings the database's schema up to date. */
    public static DatabaseServer start(Path resultsDir, String host, int port, boolean allowOthers) {
        try {
            java.nio.file.Files.createDirectories(resultsDir);
            String dir = resultsDir.toAbsolutePath().normalize().toString();
            // Create or migrate the database here, so that the server never creates databases for clients.
            Database.open("jdbc:h2:file:" + dir + "/thaw;WRITE_DELAY=0").close();
            Server server = allowOthers
                    ? Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir, "-tcpAllowOthers")
                    : Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir);
            server.start();
            return new DatabaseServer(server, "jdbc:h2:tcp://" + host + ":" + server.getPort() + "/thaw;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot start the database server on port " + port + ": "
                    + Database.rootMessage(e) + "; is the port in use? choose another with --port", e);
        }
    }

    /** The JDBC URL workers connect with. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop();
    }
}
