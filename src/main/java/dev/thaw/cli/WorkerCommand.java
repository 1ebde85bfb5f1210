package dev.thaw.cli;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.Dl4jStudyContexts;
import dev.thaw.run.QuartzCluster;
import dev.thaw.run.ScheduledStudyRunner;
import dev.thaw.run.StudyJobFactory;
import dev.thaw.run.StudySchedules;
import dev.thaw.run.TrialEnded;
import dev.thaw.run.TrialJobFactory;
import dev.thaw.run.TrialExecutor;
import dev.thaw.store.Database;
import dev.thaw.store.ScheduleStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Printable;
import dev.thaw.train.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code thaw worker --db URL}: joins the cluster on a shared database and runs any study's trials. */
@Command(name = "worker", description = "Join the Quartz cluster on a (shared) database: run trials of any "
        + "study on this machine's slots, and scheduled studies when their time comes, until stopped (Ctrl-C). "
        + "A trial of a worker that dies is recovered by another node.")
final class WorkerCommand extends ThawCommand {
    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--slots", paramLabel = "N", description = "Trials to run at once here (default: one per GPU, "
            + "or 1 on CPU).")
    Integer slots;

    /** One line from the scheduler; it may quote a schedule's name or an error. */
    private synchronized void log(String line) {
        out().println(Printable.of(line));
    }

    @Override
    public Integer call() throws Exception {
        int n = slots != null ? slots : Devices.defaultSlots();
        if (n < 1) {
            throw new UserException("--slots must be >= 1, got " + n);
        }
        Clock clock = Clock.systemUTC();
        String node = ClusterConfig.processName();
        CountDownLatch stopped = new CountDownLatch(1);
        String db = store.url();
        try (Database database = Database.open(db, err()::println)) {
            StudyStore studies = new StudyStore(database.dataSource(), clock);
            TrialStore trials = new TrialStore(database.dataSource(), clock);
            Dl4jStudyContexts contexts = new Dl4jStudyContexts(Versions.thaw());
            ConsoleProgress progress = new ConsoleProgress(out(), "score", dev.thaw.study.Direction.MAXIMIZE);
            TrialEnded ended = new TrialEnded();
            TrialExecutor executor = new TrialExecutor(studies, trials, contexts, clock, progress, node, ended);
            ClusterConfig config = ClusterConfig.trials(database.url(), database.credentials(), n);
            try (QuartzCluster cluster = QuartzCluster.start(config, new TrialJobFactory(executor), true);
                 StudySchedules schedules = StudySchedules.start(
                         ClusterConfig.studies(database.url(), database.credentials()),
                         new StudyJobFactory(new ScheduledStudyRunner(new ScheduleStore(database.dataSource(), clock),
                                 studies, trials, cluster, contexts, clock, progress, this::log, node, ended)))) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                out().printf("worker %s joined %s with %d slot%s%n", node, db, n, n == 1 ? "" : "s");
                stopped.await();
            }
        }
        return 0;
    }
}
