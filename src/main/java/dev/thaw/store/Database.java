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

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An open study database: a small connection pool, as Thaw's own user, over a JDBC URL whose schema Flyway has
 * brought up to date (as the owner). By default an H2 file with AUTO_SERVER, so a second local process (thaw trials)
 * can read while a study runs. Never without a password: see {@link DatabaseLogin} and {@link CredentialsFile}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final String url;
    private final Credentials thaw;

    private Database(HikariDataSource pool, String url, Credentials thaw) {
        this.pool = pool;
        this.url = url;
        this.thaw = thaw;
    }

    /**
     * The default database inside a results directory: {@code <dir>/thaw.mv.db}. LOCK_TIMEOUT=10000 lets Quartz's
     * row locks wait out a busy moment instead of failing after H2's default second; the {@code retry:} file system
     * keeps the file open when a thread writing to it is interrupted (Quartz interrupts its threads when it stops,
     * and Java closes an interrupted file channel, which would close the database). Every commit is written out at
     * once (WRITE_DELAY 0, which a kill -9 would otherwise cost half a second of): the owner sets it in the database,
     * since Thaw's user may not. The automatic server, through which a second local process reads while a study
     * runs, listens on the loopback address only (see {@link #loopbackAutoServer()}).
     */
    public static String fileUrl(Path resultsDir) {
        return "jdbc:h2:file:retry:" + resultsDir.toAbsolutePath().normalize().resolve("thaw")
                + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
    }

    /** Opens {@code jdbcUrl} with the environment's login; what it changed on the way is logged. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, LOG::warn);
    }

    /**
     * Opens {@code jdbcUrl} with the environment's login ({@link DatabaseLogin#fromEnvironment}), bringing its schema
     * up to date as the owner where the owner is known.
     *
     * @param notices receives a line for each thing done that the user should know (a database moved to passwords,
     *                a user with more rights than Thaw needs)
     * @throws StoreException when the database cannot be opened, with the reason and the fix
     */
    public static Database open(String jdbcUrl, Consumer<String> notices) {
        return open(jdbcUrl, System.getenv(), notices);
    }

    /** As {@link #open(String, Consumer)}, with the login taken from {@code env}. */
    public static Database open(String jdbcUrl, Map<String, String> env, Consumer<String> notices) {
        String url = withoutAdminSettings(jdbcUrl);
        Optional<Path> file = h2File(url);
        Optional<Path> folder = file.map(Path::getParent);
        folder.ifPresent(Database::privateFolder);
        if (folder.isPresent()) {
            loopbackAutoServer(); // however the URL asks for the automatic server (TRUE, 1, YES ...)
        }
        onlyH2Classes();
        try (OpeningLock opening = folder.isPresent() ? OpeningLock.take(folder.get()) : OpeningLock.none()) {
            DatabaseLogin login = folder.isPresent()
                    ? DatabaseUsers.embedded(url, folder.get(), file.get().getFileName().toString(), env,
                    notices)
                    : DatabaseLogin.fromEnvironment(env);
            if (url.startsWith("jdbc:h2:tcp:") && login.thaw().password().isEmpty()) {
                throw new StoreException("no password for " + url + ": set THAW_DB_PASSWORD to the one its thaw "
                        + "db-server was started with");
            }
            Credentials thaw = login.thaw();
            // the owner's session stays open until Thaw's pool has its first connection: an embedded database is then
            // opened once, not once a step
            Connection ownerSession = null;
            try {
                if (login.owner().isPresent()) {
                    Credentials owner = login.owner().get();
                    ownerSession = DatabaseUsers.connect(url, owner);
                    DatabaseUsers.durable(ownerSession); // before anything is written
                    flyway(Flyway.configure().dataSource(url, owner.user(), owner.password()), url).migrate();
                    DatabaseUsers.grant(ownerSession, owner, thaw);
                }
            } catch (RuntimeException | SQLException e) {
                closeQuietly(ownerSession);
                throw new StoreException("cannot open the database " + url + " as its owner "
                        + login.owner().get().user() + ": " + rootMessage(e) + refusedHint(e, folder), e);
            }
            HikariDataSource pool = pool(url, thaw);
            try {
                if (login.owner().isEmpty()) {
                    migrateOrCheck(url, pool, thaw);
                }
                try (Connection c = pool.getConnection()) {
                    DatabaseUsers.excessRights(c).ifPresent(why -> notices.accept("warning: Thaw's database user "
                            + thaw.user() + " " + why + ": anyone with its password can do more than read and write "
                            + "Thaw's tables; see README, Security, for a user with only those rights"));
                }
            } catch (RuntimeException | SQLException e) {
                pool.close();
                throw e instanceof StoreException se ? se
                        : new StoreException("cannot open the database " + url + ": " + rootMessage(e)
                        + refusedHint(e, folder), e);
            } finally {
                closeQuietly(ownerSession);
            }
            folder.ifPresent(Database::privateFiles);
            return new Database(pool, url, thaw);
        }
    }

    /** What to do when a login was refused: an embedded database's passwords are in its credentials file. */
    private static String refusedHint(Exception e, Optional<Path> folder) {
        if (!rootMessage(e).contains("Wrong user name or password")) {
            return "";
        }
        return folder.isPresent()
                ? "; " + CredentialsFile.path(folder.get()) + " does not match the database: restore it from a backup,"
                + " or move it away and open the database once with THAW_DB_USER and THAW_DB_PASSWORD set to its "
                + "owner's login (README, Security)"
                : "; set THAW_DB_USER and THAW_DB_PASSWORD to Thaw's user on it (for an H2 server, its db-server's "
                + "THAW_DB_PASSWORD)";
    }

    private static HikariDataSource pool(String url, Credentials thaw) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(thaw.user());
        config.setPassword(thaw.password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("thaw-store");
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static Flyway flyway(FluentConfiguration config, String url) {
        // the migrations, and on PostgreSQL one more that comes first (a CLOB type, which H2 has built in)
        return config.locations(url.startsWith("jdbc:postgresql:")
                        ? new String[]{"classpath:db/migration/common", "classpath:db/migration/postgresql"}
                        : new String[]{"classpath:db/migration/common"})
                .javaMigrations(new V2__QuartzJobStore(), new V5__QuartzJobDataAsProperties()).load();
    }

    /** Closes {@code c} (if any), ignoring a failure: the session is ending anyway. */
    static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // nothing more to do with it
        }
    }

    /**
     * Without the owner: nothing to do when the schema is current; otherwise migrations run as Thaw's user if it may
     * (a PostgreSQL role that owns its database), or the error says who may.
     */
    private static void migrateOrCheck(String url, DataSource thaw, Credentials user) {
        Flyway flyway = flyway(Flyway.configure().dataSource(thaw), url);
        if (flyway.info().pending().length == 0) {
            return;
        }
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            throw new StoreException("the database " + url + " needs its schema brought up to date, which its user "
                    + user.user() + " may not do (" + rootMessage(e) + "); run one command with THAW_DB_OWNER and "
                    + "THAW_DB_OWNER_PASSWORD set to its owner's login (for an H2 server: restart its thaw db-server "
                    + "with this version)", e);
        }
    }

    /**
     * H2 settings that only an admin may give, taken out of an H2 URL: {@code WRITE_DELAY} (which the owner sets in
     * the database instead; URLs printed by older versions carry it).
     */
    static String withoutAdminSettings(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        return url.replaceAll("(?i);WRITE_DELAY=[^;]*", "");
    }

    /**
     * H2's automatic server (how a second local process reaches an embedded database in use) listens where H2's
     * {@code h2.bindAddress} says, every interface by default; here the loopback address, so that only this machine
     * can reach it (and only with a password). H2 reads the property once, when it first loads, so it is set before.
     */
    static void loopbackAutoServer() {
        h2Setting("h2.bindAddress", "127.0.0.1");
    }

    /**
     * H2 instantiates classes a connection URL names (DATABASE_EVENT_LISTENER, table engines) before it checks the
     * password; here it may load only its own ({@code h2.allowedClasses}, read once when H2 first loads).
     */
    static void onlyH2Classes() {
        h2Setting("h2.allowedClasses", "org.h2.*");
    }

    /**
     * Sets one of H2's system properties unless the JVM was started with it (which then wins). H2 reads them once,
     * when it first loads: they are set before the first connection.
     */
    static void h2Setting(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** The folder of an embedded H2 file database ({@code jdbc:h2:file:[retry:]DIR/NAME;...}), if that is the URL. */
    static Optional<Path> h2Folder(String jdbcUrl) {
        return h2File(jdbcUrl).map(Path::getParent);
    }

    /** {@code DIR/NAME}, absolute, of an embedded H2 file database's URL, if that is the URL (and names a folder). */
    private static Optional<Path> h2File(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        path = path.startsWith("retry:") ? path.substring("retry:".length()) : path;
        Path file = Path.of(path).toAbsolutePath();
        return file.getParent() == null ? Optional.empty() : Optional.of(file);
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

    /** The URL this database was opened with, less admin-only settings: what Quartz connects with too. */
    public String url() {
        return url;
    }

    /** Thaw's user on this database: what Quartz connects as too. */
    public Credentials credentials() {
        return thaw;
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
