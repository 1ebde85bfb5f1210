package dev.thaw.cli;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.Dl4jStudyContexts;
import dev.thaw.run.QuartzCluster;
import dev.thaw.run.ThawJobFactory;
import dev.thaw.run.TrialExecutor;
import dev.thaw.store.Database;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.train.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code thaw worker --db URL}: joins the cluster on a shared database and runs any study's trials. */
@Command(name = "worker", description = "Join the Quartz cluster on a shared database and run trials of any "
        + "study on this machine's slots, until stopped (Ctrl-C). A trial of a worker that dies is recovered by "
        + "another node.")
final class WorkerCommand extends ThawCommand {
    @Option(names = "--db", required = true, paramLabel = "JDBC_URL",
            description = "The shared database, e.g. the URL 'thaw db-server' prints.")
    String db;

    @Option(names = "--slots", paramLabel = "N", description = "Trials to run at once here (default: one per GPU, "
            + "or 1 on CPU).")
    Integer slots;

    @Override
    public Integer call() throws Exception {
        int n = slots != null ? slots : Devices.defaultSlots();
        if (n < 1) {
            throw new UserException("--slots must be >= 1, got " + n);
        }
        Clock clock = Clock.systemUTC();
        String node = ClusterConfig.processName();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Database database = Database.open(db)) {
            TrialExecutor executor = new TrialExecutor(new StudyStore(database.dataSource(), clock),
                    new TrialStore(database.dataSource(), clock), new Dl4jStudyContexts(Versions.thaw()), clock,
                    new ConsoleProgress(out(), "score"), node);
            ClusterConfig config = new ClusterConfig(db, Database.USER, Database.password(), n, "AUTO");
            try (QuartzCluster cluster = QuartzCluster.start(config, new ThawJobFactory(executor), true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                out().printf("worker %s joined %s with %d slot%s%n", node, db, n, n == 1 ? "" : "s");
                stopped.await();
            }
        }
        return 0;
    }
}
