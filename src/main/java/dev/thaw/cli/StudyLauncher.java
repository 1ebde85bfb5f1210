package dev.thaw.cli;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.Dl4jStudyContexts;
import dev.thaw.run.QuartzCluster;
import dev.thaw.run.RunEnvironment;
import dev.thaw.run.RunSummary;
import dev.thaw.run.StudyBusyException;
import dev.thaw.run.StudyContext;
import dev.thaw.run.StudyDriver;
import dev.thaw.run.TrialEnded;
import dev.thaw.run.TrialExecutor;
import dev.thaw.run.TrialJobFactory;
import dev.thaw.search.SamplerFactory;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Printable;
import dev.thaw.study.StudySpec;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileWriter;
import dev.thaw.train.fit.Dl4jTrialTrainer;
import dev.thaw.train.StudyEnvironment;
import dev.thaw.train.data.TargetData;
import dev.thaw.web.WebOptions;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Wires one study run: the database, this node's Quartz scheduler with its slots, the executor that trains trials
 * here, and the driver that feeds the study's trials to the cluster. Used by {@code run} and {@code resume}. A run
 * first makes sure that it may drive the study (another process may), before it checks the source model (when
 * there is a database to ask; bad input is refused before a database is made), serves the leaderboard or loads the
 * data, and starts its slots only once it holds the study's lease.
 */
final class StudyLauncher {
    /** The environment check of the study to run: files, classes, the source model (loaded once, for every trial). */
    @FunctionalInterface
    interface EnvironmentCheck {
        StudyEnvironment.Checked run() throws Exception;
    }

    private final PrintWriter out;

    StudyLauncher(PrintWriter out) {
        this.out = out;
    }

    /**
     * Runs the study; returns the exit code (1 when every trial failed).
     *
     * @param databaseExists false when opening {@code jdbcUrl} would create the database (a new H2 file)
     * @param hints          the commands to suggest, on the database of {@code jdbcUrl}
     * @throws StudyBusyException when another live process drives the study, with commands to watch or stop it
     */
    int run(StudySpec spec, String specText, String jdbcUrl, boolean databaseExists, int localSlots,
            Optional<WebOptions> serve, CommandHints hints, EnvironmentCheck check) throws Exception {
        long started = System.nanoTime();
        // bad input is refused before a database is made; with one, who drives the study is said first
        StudyEnvironment.Checked checked = databaseExists ? null : check.run();
        Clock clock = Clock.systemUTC();
        String node = ClusterConfig.processName();
        try (Database database = Database.open(jdbcUrl, out::println)) {
            StudyStore studies = new StudyStore(database.dataSource(), clock);
            TrialStore trials = new TrialStore(database.dataSource(), clock);
            ConsoleProgress progress = new ConsoleProgress(out, spec.metric().key(), spec.direction());
            Dl4jStudyContexts contexts = new Dl4jStudyContexts(Versions.thaw());
            TrialEnded ended = new TrialEnded();
            TrialExecutor executor = new TrialExecutor(studies, trials, contexts, clock, progress, node, ended);
            ClusterConfig config = ClusterConfig.trials(database.url(), database.credentials(),
                    Math.max(1, localSlots));
            RunSummary summary;
            try (QuartzCluster cluster = QuartzCluster.start(config, new TrialJobFactory(executor), false)) {
                StudyDriver driver = new StudyDriver(studies, trials, cluster, new SamplerFactory(), clock, progress,
                        node, Duration.ofMillis(500), ended);
                driver.awaitLease(spec);
                if (databaseExists) {
                    checked = check.run();
                }
                StudySpec resolved = checked.spec();
                try (AutoCloseable web = serve.isPresent() ? WebLauncher.start(database, serve.get(), out)
                        : () -> { }) {
                    TargetData data = TargetData.forStudy(resolved, checked.source().input());
                    out.printf(Locale.ROOT, "data: %d training and %d validation images of classes %s (%s), "
                                    + "%.1f s%n", data.trainSize(), data.validationSize(),
                            Printable.of(resolved.data().classNames().toString()),
                            data.fingerprint(), (System.nanoTime() - started) / 1e9);
                    RunEnvironment env = contexts.environment(data);
                    // classes the file leaves out are stored as resolved here, for every later reader of the study
                    StudyRecord study = driver.open(resolved, spec.data().classesPending()
                            ? new StudyFileWriter().write(resolved, null) : specText);
                    contexts.put(study, new StudyContext(resolved, new Dl4jTrialTrainer(resolved, data,
                            checked.source()), env));
                    if (localSlots > 0) {
                        cluster.runTrials();
                    }
                    out.printf(Locale.ROOT, "%d trial%s at once; %d slot%s on this node (%s), and any worker's%n",
                            spec.slots(), spec.slots() == 1 ? "" : "s", localSlots, localSlots == 1 ? "" : "s", node);
                    summary = driver.drive(resolved, study, env);
                }
            }
            out.printf(Locale.ROOT, "took %.1f s; see all trials with: %s%n", (System.nanoTime() - started) / 1e9,
                    hints.trials(spec.name()));
            if (summary.status() == StudyStatus.STOPPED && studies.get(summary.studyId()).stopRequest().isPresent()) {
                out.println("continue it with: " + hints.resume(spec.name()));
            }
            if (serve.isPresent()) {
                out.println("the leaderboard stops with this run; keep serving it with: " + hints.serve(serve.get()));
            }
            boolean anyRan = trials.progress(summary.studyId()).stream()
                    .anyMatch(t -> t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED
                            || t.state() == TrialState.STOPPED || t.state() == TrialState.PAUSED);
            return anyRan ? 0 : ThawCli.EXIT_FAILURE;
        } catch (StudyBusyException e) {
            throw e.withHint("watch it with: " + hints.trials(spec.name()) + "; stop it with: "
                    + hints.stop(spec.name()));
        }
    }
}
