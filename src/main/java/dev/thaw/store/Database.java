package dev.thaw.store;

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
        return new Database(pool);
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
