package dev.thaw.run;

import dev.thaw.search.SamplerFactory;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.fit.TrialControl;
import dev.thaw.train.fit.TrialOutcome;
import dev.thaw.train.fit.TrialTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeze–thaw's checkpoints against what can go wrong around them, with the real driver, executor, pruner, H2 file
 * and Quartz scheduler: a checkpoint folder is kept only while its trial is PAUSED (or thawed and not yet ended), and
 * Thaw never writes, reads or deletes anything outside the study's checkpoints folder, whatever the disk or the
 * database holds there.
 */
class CheckpointSafetyTest {
    private static final ClassificationReport REPORT = new ClassificationReport(List.of(0, 1), new int[][]{{5, 0}, {1, 4}});
    /** ASHA with η 3 and a rung after epoch 1: with two trials both pause there, and neither is ever promoted. */
    private static final PrunerSpec ASHA_3 = new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.PAUSE, 1, 5);

    @TempDir
    Path dir;

    /** The stores of the run in progress, for trainers and listeners that watch it. */
    private static volatile TrialStore live;
    private static volatile StudyStore liveStudies;
    /** What the last run's driver said of it. */
    private RunSummary summary;

    private StudySpec spec(int trials, int epochs, int slots, PrunerSpec pruner) throws Exception {
        StudySpec s = new StudyFileReader().parse("""
                name: safe
                model: {source: builtin, path: %s}
                data: {format: idx, train_images: %s, train_labels: %s, classes: [0, 1], per_class: 10}
                objective: {metric: val_accuracy}
                search: {algorithm: random, trials: %d, seed: 5}
                budget: {epochs: %d}
                resources: {slots: %d}
                space:
                  learning_rate: {type: float, low: 1.0e-5, high: 1.0, log: true}
                output: {dir: %s, keep_models: none}
                """.formatted(dir.resolve("m.zip"), dir.resolve("i.gz"), dir.resolve("l.gz"), trials, epochs, slots,
                dir.resolve("out")));
        return new StudySpec(s.name(), s.seed(), s.model(), s.data(), s.metric(), s.direction(), s.search(),
                s.epochs(), s.space(), s.output(), s.slots(), s.baseline(), s.when(), pruner);
    }

    private Path checkpoints() {
        return dir.resolve("out/safe/checkpoints");
    }

    /** Drives the study to its end with {@code trainer}; {@code before} may prepare the cluster first. */
    private List<TrialRecord> run(StudySpec spec, TrialTrainer trainer, Consumer<QuartzCluster> before)
            throws Exception {
        Clock clock = Clock.systemUTC();
        RunEnvironment env = new RunEnvironment("t", "t", "t", "t");
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            live = trials;
            liveStudies = studies;
            TrialEnded ended = new TrialEnded();
            TrialExecutor executor = new TrialExecutor(studies, trials, study -> new StudyContext(spec, trainer, env),
                    clock, RunListener.SILENT, "test", ended);
            try (QuartzCluster cluster = QuartzCluster.start(ClusterConfig.trials(db.url(), db.credentials(),
                    spec.slots()), new TrialJobFactory(executor), true)) {
                before.accept(cluster);
                StudyDriver driver = new StudyDriver(studies, trials, cluster, new SamplerFactory(), clock,
                        RunListener.SILENT, "test", Duration.ofMillis(50), ended);
                StudyRecord study = driver.open(spec, "text");
                summary = driver.drive(spec, study, env);
                return trials.list(study.id());
            }
        }
    }

    private List<TrialRecord> run(StudySpec spec, TrialTrainer trainer) throws Exception {
        return run(spec, trainer, cluster -> { });
    }

    /** Works on the study's stores while no driver runs. */
    private <T> T withStores(java.util.function.BiFunction<StudyStore, TrialStore, T> work) {
        try (Database db = Database.open(Database.fileUrl(dir))) {
            return work.apply(new StudyStore(db.dataSource(), Clock.systemUTC()),
                    new TrialStore(db.dataSource(), Clock.systemUTC()));
        }
    }

    /**
     * A trial thawed (QUEUED with its checkpoint) and then stopped before any node resumed it (its driver was killed
     * in between, say) is STOPPED when its job runs, and its checkpoint goes with it.
     */
    @Test
    void aThawedTrialStoppedBeforeItResumesLosesItsCheckpoint() throws Exception {
        StudySpec spec = spec(2, 3, 1, ASHA_3);
        List<TrialRecord> first = run(spec, new Curves(3, Map.of()));
        assertEquals(List.of(TrialState.PAUSED, TrialState.PAUSED), first.stream().map(TrialRecord::state).toList());
        TrialRecord one = first.get(0);
        assertTrue(Files.isDirectory(checkpoints().resolve("trial-1")));
        withStores((studies, trials) -> {
            trials.thaw(one.id());
            assertTrue(trials.requestStop(one.id(), "not this one"));
            return null;
        });

        List<TrialRecord> second = run(spec, new Curves(3, Map.of()));
        TrialRecord stopped = second.get(0);
        assertEquals(TrialState.STOPPED, stopped.state(), second.toString());
        assertEquals(Optional.of("stopped before it resumed: not this one"), stopped.reason());
        assertFalse(Files.exists(checkpoints().resolve("trial-1")), "a checkpoint is deleted when its trial ends");
        assertTrue(Files.isDirectory(checkpoints().resolve("trial-2")), "the paused trial keeps its own");
    }

    /**
     * A checkpoint folder left for a trial that has ended (its process was killed between recording the end and
     * deleting the folder) is deleted when the study runs again; a paused trial's stays.
     */
    @Test
    void checkpointFoldersOfEndedTrialsAreDeletedWhenTheStudyRunsAgain() throws Exception {
        StudySpec spec = spec(2, 3, 1, ASHA_3);
        List<TrialRecord> first = run(spec, new Curves(3, Map.of()));
        withStores((studies, trials) -> {
            trials.stopPaused(first.get(0).id(), "ended, its folder not yet deleted");
            return null;
        });
        assertTrue(Files.isDirectory(checkpoints().resolve("trial-1")));

        List<TrialRecord> again = run(spec, new Curves(3, Map.of()));
        assertEquals(List.of(TrialState.STOPPED, TrialState.PAUSED), again.stream().map(TrialRecord::state).toList());
        assertFalse(Files.exists(checkpoints().resolve("trial-1")), "the ended trial's folder is gone");
        assertTrue(Files.isDirectory(checkpoints().resolve("trial-2")), "the paused trial's stays");
    }

    /**
     * A trial's checkpoint folder that is a symbolic link (to anywhere) is refused: the trial fails with one line
     * saying so, and nothing behind the link is written, read or deleted; the study goes on.
     */
    @Test
    void aTrialFolderThatIsASymbolicLinkFailsItsTrialAndNothingBehindItIsTouched() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(Files.createDirectories(outside.resolve("epoch-1")).resolve("precious"), "keep me");
        Files.writeString(Files.createDirectories(outside.resolve("epoch-7")).resolve("precious"), "keep me too");
        Files.createDirectories(checkpoints());
        Files.createSymbolicLink(checkpoints().resolve("trial-1"), outside);

        List<TrialRecord> trials = run(spec(2, 3, 1, ASHA_3), new Curves(3, Map.of()));
        TrialRecord linked = trials.get(0);
        assertEquals(TrialState.FAILED, linked.state(), trials.toString());
        String error = linked.error().orElseThrow();
        assertTrue(error.contains("is a symbolic link") && error.contains(checkpoints().resolve("trial-1").toString()),
                error);
        assertEquals(TrialState.PAUSED, trials.get(1).state(), "the study goes on: " + trials);
        assertEquals("keep me", Files.readString(outside.resolve("epoch-1/precious")));
        assertEquals("keep me too", Files.readString(outside.resolve("epoch-7/precious")));
        try (var left = Files.list(outside)) {
            assertEquals(List.of("epoch-1", "epoch-7"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing was written behind the link");
        }
        assertTrue(Files.isSymbolicLink(checkpoints().resolve("trial-1")), "the link itself is left as it was");
    }

    /**
     * A paused trial whose recorded checkpoint path leads outside the study's checkpoints folder through a symbolic
     * link inside it: stopping the trial deletes nothing there.
     */
    @Test
    void stoppingAPausedTrialNeverDeletesThroughALinkItsRowNames() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path victim = Files.createDirectories(outside.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep me");
        Files.createDirectories(checkpoints());
        Files.createSymbolicLink(checkpoints().resolve("link"), outside);
        StudySpec spec = spec(1, 3, 1, ASHA_3);
        withStores((studies, trials) -> {
            StudyRecord study = studies.createOrContinue("safe", "text", "h", spec.metric(), spec.direction(), 1, 1);
            studies.recordOutputDir(study.id(), dir.resolve("out"));
            TrialRecord t = trials.start(trials.create(study.id(), 1, new TrialDraft(new Assignment(
                    Map.of("learning_rate", 0.01)), 5, "fp", "t", "d", "j")), "w");
            trials.recordEpoch(t.id(), new MetricPoint(1, 0.5, 0.5, 0.5, 0.5));
            trials.pause(t.id(), 1, "waits", checkpoints().resolve("link/victim"));
            new StoreStudyControl(studies, trials).stopTrial(study.id(), 1, "enough");
            assertEquals(TrialState.STOPPED, trials.get(t.id()).state());
            return null;
        });
        assertEquals("keep me", Files.readString(victim.resolve("precious")));
    }

    /**
     * A trial that pauses and is promoted at once (a trial on another slot reached its rung meanwhile), while Quartz
     * is still finishing the job that paused it: it thaws once that job is gone and runs to its end, instead of being
     * queued without a job and failed as lost.
     */
    @Test
    void aTrialPromotedWhileItsLastJobIsStillEndingThawsAndRuns() throws Exception {
        PrunerSpec asha2 = new PrunerSpec(PrunerSpec.Type.ASHA, 1, 2, PrunerSpec.Mode.PAUSE, 1, 5);
        StudySpec spec = spec(2, 2, 2, asha2);
        // the first trial to start reaches the rung alone (it waits: paused); the second reaches it after that pause
        // is recorded, behind it (paused too, which promotes the first)
        Curves trainer = new Curves(2, Map.of()) {
            private final Map<Assignment, Integer> order = new java.util.HashMap<>();

            @Override
            double value(Assignment a, int epoch) {
                int place;
                synchronized (order) {
                    place = order.computeIfAbsent(a, k -> order.size());
                }
                if (place == 1 && epoch == 1) {
                    awaitState(TrialState.PAUSED, 1);
                }
                return place == 0 ? 0.9 : 0.1;
            }
        };
        List<TrialRecord> trials = run(spec, trainer, cluster -> {
            try {
                cluster.scheduler().getListenerManager().addJobListener(new SlowToFinish());
            } catch (org.quartz.SchedulerException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count(), trials.toString());
        assertEquals(1, trials.stream().filter(t -> t.state() == TrialState.PAUSED).count(), trials.toString());
        TrialRecord promoted = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).findFirst().orElseThrow();
        assertEquals(2, promoted.epochs());
        assertEquals(2, promoted.attempts(), "paused once, resumed once");
    }

    /**
     * A trial paused, thawed and paused again at a later rung keeps only its latest checkpoint: the one it resumed
     * from is stale once the new pause is recorded.
     */
    @Test
    void aTrialPausedTwiceKeepsOnlyItsLatestCheckpoint() throws Exception {
        PrunerSpec asha2 = new PrunerSpec(PrunerSpec.Type.ASHA, 1, 2, PrunerSpec.Mode.PAUSE, 1, 5);
        // the first trial waits alone at rung 1, is promoted by the second's worse value there, then waits alone at
        // rung 2; the third pauses behind it at rung 1
        Curves trainer = new Curves(3, Map.of()) {
            private final Map<Assignment, Integer> order = new java.util.HashMap<>();

            @Override
            double value(Assignment a, int epoch) {
                int place;
                synchronized (order) {
                    place = order.computeIfAbsent(a, k -> order.size());
                }
                return place == 0 ? (epoch == 1 ? 0.9 : 0.1) : place == 1 ? 0.5 : 0.7;
            }
        };
        List<TrialRecord> trials = run(spec(3, 3, 1, asha2), trainer);
        TrialRecord twice = trials.get(0);
        assertEquals(TrialState.PAUSED, twice.state(), trials.toString());
        assertEquals(2, twice.epochs(), trials.toString());
        try (var left = Files.list(checkpoints().resolve("trial-1"))) {
            assertEquals(List.of("epoch", "epoch-2"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * A study stopped while it still had budget left, with trials paused: resuming it (not a larger budget) is what
     * lets them thaw, and that is what the driver says.
     */
    @Test
    void aStudyStoppedWithPausedTrialsSaysThatResumingItCanThawThem() throws Exception {
        StudySpec spec = spec(4, 3, 1, ASHA_3);
        Curves trainer = new Curves(3, Map.of()) {
            private int started;

            @Override
            public TrialOutcome train(Assignment a, TrialControl control) {
                if (++started == 1) {
                    liveStudies.requestStop(1L, "enough for today", false);
                    try {
                        // the scripted trials take microseconds: give the driver, which looks for a stop every
                        // StudyDriver.STOP_CHECK, many looks before this trial ends, so that no trial follows it
                        Thread.sleep(20 * StudyDriver.STOP_CHECK.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.train(a, control);
            }
        };
        List<TrialRecord> trials = run(spec, trainer);
        long paused = trials.stream().filter(t -> t.state() == TrialState.PAUSED).count();
        assertTrue(paused >= 1 && trials.size() < 4, "stopped (within the driver's stop check) with the first trial "
                + "paused: " + trials);
        assertEquals(dev.thaw.study.StudyStatus.STOPPED, summary.status());
        assertEquals("by request: enough for today; " + paused + (paused == 1 ? " trial stays" : " trials stay")
                + " PAUSED with " + (paused == 1 ? "its checkpoint" : "their checkpoints") + " (resume the study and "
                + "they thaw when promoted)", summary.why());
    }

    /**
     * Holds a Quartz job that has just paused its trial (Quartz deletes a job only after its listeners return): until
     * the other trial has paused too and the driver had a second to act (or until it thawed the trial already).
     */
    private static final class SlowToFinish implements JobListener {
        private volatile boolean held;

        @Override
        public String getName() {
            return "slow-to-finish";
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
            long id = context.getMergedJobDataMap().getLongValue(QuartzCluster.TRIAL_ID);
            if (held || states().get(id) != TrialState.PAUSED) {
                return;
            }
            held = true;
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long since = 0;
            while (System.nanoTime() < giveUp) {
                Map<Long, TrialState> now = states();
                if (now.get(id) != TrialState.PAUSED) {
                    return; // thawed while its job is still held
                }
                if (now.values().stream().filter(s -> s == TrialState.PAUSED).count() == 2) {
                    since = since == 0 ? System.nanoTime() : since;
                    if (System.nanoTime() - since > Duration.ofSeconds(1).toNanos()) {
                        return;
                    }
                }
                sleep();
            }
        }
    }

    /** Each trial of the run in progress (study 1 of its database) by id, with its state. */
    private static Map<Long, TrialState> states() {
        Map<Long, TrialState> out = new ConcurrentHashMap<>();
        live.progress(1L).forEach(t -> out.put(t.id(), t.state()));
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Trains by {@link #value} (0.5 unless overridden); writes its epoch into the checkpoint folder when it pauses
     * and resumes after the epoch written there.
     */
    static class Curves implements TrialTrainer {
        final int epochs;
        final Map<Assignment, Double> fixed;

        Curves(int epochs, Map<Assignment, Double> fixed) {
            this.epochs = epochs;
            this.fixed = fixed;
        }

        double value(Assignment a, int epoch) {
            return fixed.getOrDefault(a, 0.5);
        }

        /** Waits until {@code count} trials of the study are in {@code state}. */
        void awaitState(TrialState state, int count) {
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < giveUp
                    && states().values().stream().filter(s -> s == state).count() < count) {
                sleep();
            }
        }

        @Override
        public TrialOutcome train(Assignment a, TrialControl control) {
            int start = 0;
            try {
                if (control.resumeAfter().isPresent()) {
                    start = Integer.parseInt(Files.readString(control.checkpointDir().resolve("epoch")));
                }
                for (int e = start + 1; e <= epochs; e++) {
                    double v = value(a, e);
                    PruneDecision d = control.epochFinished(new MetricPoint(e, 1 - v, 1 - v, v, v));
                    if (d.action() == PruneDecision.Action.PAUSE) {
                        Files.createDirectories(control.checkpointDir().resolve("epoch-" + e)); // as TrialCheckpoint
                        Files.writeString(control.checkpointDir().resolve("epoch"), Integer.toString(e));
                        return new TrialOutcome.Paused(e, d.reason());
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            double v = value(a, epochs);
            return new TrialOutcome.Finished(new TrialResult(REPORT, 1 - v, Optional.empty(), epochs), zip -> { },
                    TrialState.COMPLETE, Optional.empty());
        }
    }
}
