package dev.thaw.bench;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.QuartzCluster;
import dev.thaw.run.RunEnvironment;
import dev.thaw.run.RunListener;
import dev.thaw.run.StudyContext;
import dev.thaw.run.StudyDriver;
import dev.thaw.run.TrialEnded;
import dev.thaw.run.TrialExecutor;
import dev.thaw.run.TrialJobFactory;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SpaceMapper;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.fit.TrialOutcome;
import dev.thaw.train.fit.TrialTrainer;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.InMemoryResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Orchestration overhead per trial with a trainer that does no work: Thaw's full path (ask the sampler, record the
 * trial in H2, dispatch it through Quartz's clustered JDBC job store, run it, record the result, tell the sampler)
 * against Arbiter's own in-memory LocalOptimizationRunner on the same space, side by side in one JVM.
 * Usage: scripts/bench/overhead.sh [trials] [slots] [rounds]
 */
public final class OverheadBenchmark {
    private static final ClassificationReport REPORT = new ClassificationReport(List.of(0, 1),
            new int[][]{{1, 1}, {1, 1}});

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("thaw-bench");
        System.out.printf(Locale.ROOT, "%d trials, %d slot%s, no-op trainer; %d rounds of the three, each on fresh "
                + "files; the JVM warms up over the rounds, the last round is the steady state%n", trials, slots,
                slots == 1 ? "" : "s", rounds);
        System.out.println("round  thaw ms/trial (cpu)   arbiter ms/trial   quartz alone ms/job (cpu)   thaw/arbiter   thaw/quartz");
        for (int round = 1; round <= rounds; round++) {
            Path roundDir = Files.createDirectories(dir.resolve("round-" + round));
            StudySpec spec = spec(roundDir, trials, slots);
            Timing thaw = thaw(roundDir, spec, trials, slots);
            double arbiter = arbiter(spec, trials, slots);
            Timing quartz = quartzAlone(roundDir.resolve("quartz"), trials);
            System.out.printf(Locale.ROOT, "%5d  %6.2f (%5.2f)        %6.2f             %6.2f (%5.2f)              %5.2f          %5.2f%n",
                    round, thaw.wallMs(), thaw.cpuMs(), arbiter, quartz.wallMs(), quartz.cpuMs(), thaw.wallMs() / arbiter,
                    thaw.wallMs() / quartz.wallMs());
        }
    }

    /** Wall time and CPU time of the whole process (all threads, JIT and GC included), per trial. */
    private record Timing(double wallMs, double cpuMs) {
        static Timing since(long startNanos, long startCpuNanos, int trials) {
            return new Timing((System.nanoTime() - startNanos) / 1e6 / trials,
                    (processCpuNanos() - startCpuNanos) / 1e6 / trials);
        }
    }

    private static StudySpec spec(Path dir, int trials, int slots) throws Exception {
        for (String f : List.of("i.gz", "l.gz", "m.zip")) {
            Files.writeString(dir.resolve(f), "x");
        }
        return new StudyFileReader().parse("""
                name: warm-up
                model: {source: builtin, path: %s}
                data: {format: idx, train_images: %s, train_labels: %s, classes: [0, 1], per_class: 10}
                objective: {metric: val_accuracy}
                search: {algorithm: random, trials: %d, seed: 1}
                budget: {epochs: 1}
                resources: {slots: %d}
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
                  batch_size: {type: choice, values: [16, 32, 64]}
                  dropout: {type: float, low: 0.0, high: 0.5}
                  optimizer: {type: choice, values: [sgd, adam]}
                  unfreeze_depth: {type: int, low: 0, high: 3}
                output: {dir: %s, keep_models: none}
                """.formatted(dir.resolve("m.zip"), dir.resolve("i.gz"), dir.resolve("l.gz"), trials, slots, dir));
    }

    private static final TrialTrainer NO_WORK = (assignment, control) -> new TrialOutcome.Finished(
            new TrialResult(REPORT, 0.1, Optional.empty(), 1), zip -> { }, dev.thaw.study.TrialState.COMPLETE,
            Optional.empty());

    private static Timing thaw(Path dir, StudySpec spec, int trials, int slots) throws Exception {
        StudySpec sized = new StudySpec(spec.name(), spec.seed(), spec.model(), spec.data(), spec.metric(),
                spec.direction(), new dev.thaw.study.SearchSpec(spec.search().algorithm(), trials, 1, Optional.empty(), 3),
                spec.epochs(), spec.space(), spec.output(), slots);
        String url = System.getProperty("bench.url", Database.fileUrl(dir));
        Clock clock = Clock.systemUTC();
        RunEnvironment env = new RunEnvironment("bench", "bench", "bench", "bench");
        try (Database db = Database.open(url)) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trialStore = new TrialStore(db.dataSource(), clock);
            TrialEnded ended = new TrialEnded();
            TrialExecutor executor = new TrialExecutor(studies, trialStore,
                    study -> new StudyContext(sized, NO_WORK, env), clock, RunListener.SILENT, "bench", ended);
            try (QuartzCluster cluster = QuartzCluster.start(ClusterConfig.trials(db.url(),
                    db.credentials(), slots), new TrialJobFactory(executor), true)) {
                StudyDriver driver = new StudyDriver(studies, trialStore, cluster, new SamplerFactory(), clock,
                        RunListener.SILENT, "bench", Duration.ofMillis(500), ended);
                StudyRecord study = driver.open(sized, "bench " + sized.name());
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                driver.drive(sized, study, env);
                return Timing.since(start, cpu, trials);
            }
        }
    }

    /**
     * The floor under Thaw's figure: one no-op Quartz job after another, each scheduled when the last one ran, in the
     * same clustered JDBC job store on a fresh H2 file with Thaw's settings; no trial rows, no sampler.
     */
    private static Timing quartzAlone(Path dir, int jobs) throws Exception {
        String url = Database.fileUrl(dir);
        try (Database db = Database.open(url)) {
            org.quartz.Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(
                    ClusterConfig.trials(db.url(), db.credentials(), 1).properties()).getScheduler();
            java.util.concurrent.Semaphore ran = new java.util.concurrent.Semaphore(0);
            scheduler.getListenerManager().addJobListener(new org.quartz.listeners.JobListenerSupport() {
                @Override
                public String getName() {
                    return "bench";
                }

                @Override
                public void jobWasExecuted(org.quartz.JobExecutionContext context,
                                           org.quartz.JobExecutionException e) {
                    ran.release();
                }
            });
            scheduler.start();
            try {
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                for (int i = 0; i < jobs; i++) {
                    scheduler.scheduleJob(org.quartz.JobBuilder.newJob(NoOpJob.class).withIdentity("job-" + i)
                                    .requestRecovery(true).build(),
                            org.quartz.TriggerBuilder.newTrigger().withIdentity("job-" + i).startNow().build());
                    ran.acquire();
                }
                return Timing.since(start, cpu, jobs);
            } finally {
                scheduler.shutdown(true);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A Quartz job that does nothing. */
    public static final class NoOpJob implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
        }
    }

    private static double arbiter(StudySpec spec, int trials, int slots) {
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(new RandomSearchGenerator(new SpaceMapper().map(spec.space()), null))
                .dataProvider(new NoData()).modelSaver(new InMemoryResultSaver()).scoreFunction(new NoScore())
                .terminationConditions(new MaxCandidatesCondition(trials)).build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(slots, config, new NoWorkTasks());
        long start = System.nanoTime();
        runner.execute();
        return (System.nanoTime() - start) / 1e6 / trials;
    }

    /** Arbiter tasks that do no work, like Thaw's no-op trainer. */
    private static final class NoWorkTasks implements TaskCreator {
        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                                   ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                                   IOptimizationRunner runner) {
            return task(candidate);
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties dataSourceProperties, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return task(candidate);
        }

        private static Callable<OptimizationResult> task(Candidate candidate) {
            return () -> {
                long now = System.currentTimeMillis();
                CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Complete, 0.5, now, now,
                        now, candidate.getFlatParameters(), null);
                return new OptimizationResult(candidate, 0.5, candidate.getIndex(), null, info, null);
            };
        }
    }

    private static final class NoData implements DataProvider {
        @Override
        public Object trainData(Map<String, Object> dataParameters) {
            return null;
        }

        @Override
        public Object testData(Map<String, Object> dataParameters) {
            return null;
        }

        @Override
        public Class<?> getDataType() {
            return Object.class;
        }
    }

    private static final class NoScore implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
            return 0.5;
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties properties) {
            return 0.5;
        }

        @Override
        public boolean minimize() {
            return false;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of(Object.class);
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(Object.class);
        }
    }
}
