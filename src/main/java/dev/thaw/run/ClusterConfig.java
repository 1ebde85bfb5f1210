package dev.thaw.run;

import dev.thaw.store.Credentials;

import java.util.Locale;
import java.util.Properties;

/**
 * Quartz settings for one of a Thaw node's schedulers ({@link #TRIALS} or {@link #STUDIES}): a clustered JDBC job store in the study database (so jobs survive a crash and
 * every node sharing the database is one cluster), {@code threads} worker threads (the node's device slots), and
 * short check-in and idle intervals so that a dead node's trials are recovered, and new trials picked up, in seconds.
 */
public record ClusterConfig(String schedulerName, String jdbcUrl, String user, String password, int threads,
                            String instanceId) {
    /** The scheduler that runs trials, on every node. */
    public static final String TRIALS = "thaw";
    /** The scheduler that starts scheduled studies, on workers. */
    public static final String STUDIES = "thaw-studies";

    public ClusterConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** The trial scheduler of a node with {@code slots} slots. */
    public static ClusterConfig trials(String jdbcUrl, Credentials login, int slots) {
        return new ClusterConfig(TRIALS, jdbcUrl, login.user(), login.password(), slots, "AUTO");
    }

    /** The scheduler of scheduled studies: one thread a study being driven, two at once per node. */
    public static ClusterConfig studies(String jdbcUrl, Credentials login) {
        return new ClusterConfig(STUDIES, jdbcUrl, login.user(), login.password(), 2, "AUTO");
    }

    /** The Quartz properties this configuration stands for. */
    public Properties properties() {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", schedulerName.equals(TRIALS) ? "thaw-slot" : schedulerName);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "thaw");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "2000");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        p.setProperty("org.quartz.jobStore.dbRetryInterval", "1000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource.thaw.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.thaw.driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver");
        p.setProperty("org.quartz.dataSource.thaw.URL", jdbcUrl);
        p.setProperty("org.quartz.dataSource.thaw.user", user);
        p.setProperty("org.quartz.dataSource.thaw.password", password);
        p.setProperty("org.quartz.dataSource.thaw.maxConnections", String.valueOf(threads + 3));
        return p;
    }

    /** A name for this process that other nodes can read: host and process id. */
    public static String processName() {
        return (host() + "-" + ProcessHandle.current().pid()).toLowerCase(Locale.ROOT);
    }

    /** This machine's host name, as {@link #processName} uses it (before lower-casing). */
    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }
}
