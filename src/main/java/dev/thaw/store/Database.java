package dev.thaw.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * An open study database: a small connection pool over a JDBC URL whose schema Flyway has brought up to date.
 * By default an H2 file with AUTO_SERVER, so a second local process (thaw trials) can read while a study runs.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * The default database inside a results directory: {@code <dir>/thaw.mv.db}. WRITE_DELAY=0 writes every commit
     * out at once (H2 otherwise keeps up to half a second of commits in memory, which a kill -9 would lose);
     * LOCK_TIMEOUT=10000 lets Quartz's row locks wait out a busy moment instead of failing after H2's default second;
     * the {@code retry:} file system keeps the file open when a thread writing to it is interrupted (Quartz interrupts
     * its threads when it stops, and Java closes an interrupted file channel, which would close the database).
     */
    public static String fileUrl(Path resultsDir) {
        return "jdbc:h2:file:retry:" + resultsDir.toAbsolutePath().normalize().resolve("thaw")
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    /** The database user: THAW_DB_USER, or {@code sa} (H2's usual user) when unset. */
    public static String user() {
        return System.getenv().getOrDefault("THAW_DB_USER", "sa");
    }

    /** The database user's password: THAW_DB_PASSWORD, or empty when unset. */
    public static String password() {
        return System.getenv().getOrDefault("THAW_DB_PASSWORD", "");
    }

    public static Database open(String jdbcUrl) {
        Optional<Path> folder = h2Folder(jdbcUrl);
        folder.ifPresent(Database::privateFolder);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("thaw-store");
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            // the migrations, and on PostgreSQL one more that comes first (a CLOB type, which H2 has built in)
            Flyway.configure().dataSource(pool).locations(jdbcUrl.startsWith("jdbc:postgresql:")
                            ? new String[]{"classpath:db/migration/common", "classpath:db/migration/postgresql"}
                            : new String[]{"classpath:db/migration/common"})
                    .javaMigrations(new V2__QuartzJobStore(), new V5__QuartzJobDataAsProperties()).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot open the database " + jdbcUrl + ": " + rootMessage(e), e);
        }
        folder.ifPresent(Database::privateFiles);
        return new Database(pool);
    }

    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** The folder of an embedded H2 file database ({@code jdbc:h2:file:[retry:]DIR/NAME;...}), if that is the URL. */
    static Optional<Path> h2Folder(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        path = path.startsWith("retry:") ? path.substring("retry:".length()) : path;
        Path parent = Path.of(path).toAbsolutePath().getParent();
        return Optional.ofNullable(parent);
    }

    /**
     * The results folder is its user's alone (0700): created so, or narrowed when it exists and this user owns it.
     * Nothing else on the machine can then read the database, its lock file (which holds the automatic server's key)
     * or the kept models.
     */
    private static void privateFolder(Path folder) {
        try {
            if (!Files.exists(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            }
            Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or a folder someone else owns: left as it is
        }
    }

    /** The database's own files (data, lock, trace) readable and writable by their user only (0600). */
    private static void privateFiles(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("thaw.")
                    && Files.isRegularFile(p)).toList()) {
                Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // as above
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.lines().findFirst().orElse(msg);
    }
}
