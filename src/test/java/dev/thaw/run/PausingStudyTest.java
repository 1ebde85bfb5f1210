package dev.thaw.run;

import dev.thaw.search.SamplerFactory;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study with ASHA driven for real (H2 file, Quartz scheduler, driver, executor, the real pruner), its trials trained
 * by a scripted trainer whose curves are a function of the learning rate: what the driver does with pauses, thaws,
 * prunes and the budget. The DL4J side of a pause (a checkpoint that resumes bit for bit) is tested in {@code train}.
 */
class PausingStudyTest {
    @TempDir
    Path dir;

    private static final ClassificationReport REPORT = new ClassificationReport(List.of(0, 1), new int[][]{{5, 0}, {1, 4}});

    /** Epoch e of a trial with learning rate lr: a curve that rises with e, higher the closer lr is to 0.01. */
    static double curve(double lr, int e) {
        double quality = 1 / (1 + Math.abs(Math.log10(lr) + 2));
        return quality * (1 - 0.5 / e);
    }

    /** Trains by the curve; writes its epoch as the checkpoint when it pauses and checks it when it resumes. */
    static final class ScriptedTrainer implements TrialTrainer {
        final int epochs;
        final Map<Double, List<Integer>> resumedAfter = new ConcurrentHashMap<>();
        final List<Integer> trained = Collections.synchronizedList(new ArrayList<>());

        ScriptedTrainer(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public TrialOutcome train(Assignment a, TrialControl control) {
            double lr = ((Number) a.values().get("learning_rate")).doubleValue();
            int start = 0;
            try {
                if (control.resumeAfter().isPresent()) {
                    start = Integer.parseInt(Files.readString(control.checkpointDir().resolve("epoch")));
                    assertEquals(control.resumeAfter().getAsInt(), start, "resumes from its own checkpoint");
                    resumedAfter.computeIfAbsent(lr, k -> Collections.synchronizedList(new ArrayList<>())).add(start);
                }
                for (int e = start + 1; e <= epochs; e++) {
                    trained.add(e);
                    double v = curve(lr, e);
                    PruneDecision d = control.epochFinished(new MetricPoint(e, 1 - v, 1 - v, v, v));
                    if (d.action() == PruneDecision.Action.PAUSE) {
                        Files.writeString(control.checkpointDir().resolve("epoch"), Integer.toString(e));
                        // as the real trainer does: the new checkpoint's folder beside the one it resumed from
                        Files.createDirectories(control.checkpointDir().resolve("epoch-" + e));
                        return new TrialOutcome.Paused(e, d.reason());
                    }
                    if (d.action() == PruneDecision.Action.PRUNE) {
                        return finished(e, v, TrialState.PRUNED, Optional.of(d.reason()));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return finished(epochs, curve(lr, epochs), TrialState.COMPLETE, Optional.empty());
        }

        private static TrialOutcome finished(int epoch, double v, TrialState end, Optional<String> reason) {
            return new TrialOutcome.Finished(new TrialResult(REPORT, 1 - v, Optional.empty(), epoch), zip -> { },
                    end, reason);
        }
    }

    private StudySpec spec(int trials, int epochs, int slots, PrunerSpec pruner) throws Exception {
        StudySpec s = new StudyFileReader().parse("""
                name: asha
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

    private List<TrialRecord> run(StudySpec spec, ScriptedTrainer trainer) throws Exception {
        return run(spec, trainer, RunListener.SILENT);
    }

    private List<TrialRecord> run(StudySpec spec, ScriptedTrainer trainer, RunListener listener) throws Exception {
        Clock clock = Clock.systemUTC();
        RunEnvironment env = new RunEnvironment("t", "t", "t", "t");
        try (Database db = Database.open(Database.fileUrl(dir))) {
            StudyStore studies = new StudyStore(db.dataSource(), clock);
            TrialStore trials = new TrialStore(db.dataSource(), clock);
            TrialEnded ended = new TrialEnded();
            TrialExecutor executor = new TrialExecutor(studies, trials, study -> new StudyContext(spec, trainer, env),
                    clock, RunListener.SILENT, "test", ended);
            try (QuartzCluster cluster = QuartzCluster.start(ClusterConfig.trials(db.url(), db.credentials(),
                    spec.slots()), new TrialJobFactory(executor), true)) {
                StudyDriver driver = new StudyDriver(studies, trials, cluster, new SamplerFactory(), clock,
                        listener, "test", Duration.ofMillis(50), ended);
                StudyRecord study = driver.open(spec, "text " + spec.pruner());
                driver.drive(spec, study, env);
                List<TrialRecord> out = trials.list(study.id());
                for (TrialRecord t : out) {
                    List<Integer> epochs = trials.epochs(t.id()).stream().map(MetricPoint::epoch).toList();
                    assertEquals(java.util.stream.IntStream.rangeClosed(1, t.epochs()).boxed().toList(), epochs,
                            "trial " + t.number() + " holds each of its epochs once, in order");
                    assertEquals(t.state() == TrialState.PAUSED, trials.checkpoint(t.id()).isPresent(),
                            "only a paused trial keeps a checkpoint: " + t);
                    if (t.state() == TrialState.PAUSED) {
                        try (var kept = Files.list(trials.checkpoint(t.id()).orElseThrow().dir())) {
                            assertEquals(List.of("epoch-" + t.epochs()), kept.map(f -> f.getFileName().toString())
                                    .filter(f -> f.startsWith("epoch-")).toList(),
                                    "one checkpoint, of the epoch it paused after: " + t);
                        }
                    }
                }
                return out;
            }
        }
    }

    @Test
    void ashaPausePausesLosersAtRungsThawsPromotedOnesAndSpendsFewerEpochs() throws Exception {
        int epochs = 9;
        StudySpec spec = spec(12, epochs, 1, new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.PAUSE, 1, 5));
        ScriptedTrainer trainer = new ScriptedTrainer(epochs);
        List<TrialRecord> trials = run(spec, trainer);

        assertEquals(12, trials.size(), "paused trials count toward the budget");
        long paused = trials.stream().filter(t -> t.state() == TrialState.PAUSED).count();
        long complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
        assertTrue(paused > 0, "losers pause: " + trials);
        assertTrue(complete >= 1, "promoted trials run to the end: " + trials);
        assertEquals(12, paused + complete, "with pause, no trial is pruned: " + trials);
        assertFalse(trainer.resumedAfter.isEmpty(), "some paused trial thawed and resumed from its checkpoint");
        assertTrue(trainer.trained.size() < 12 * epochs, "ASHA spends fewer epochs than 12 full trials: "
                + trainer.trained.size());
        assertEquals(trainer.trained.size(), trials.stream().mapToInt(TrialRecord::epochs).sum(),
                "every epoch trained is recorded once: a resumed trial redoes none");
        for (TrialRecord t : trials) {
            if (t.state() == TrialState.PAUSED) {
                assertTrue(spec.pruner().rungs(epochs, 0).contains(t.epochs()), "paused at a rung: " + t);
                assertTrue(Files.isDirectory(dir.resolve("out/asha/checkpoints/trial-" + t.number())));
            } else {
                assertFalse(Files.exists(dir.resolve("out/asha/checkpoints/trial-" + t.number())),
                        "a checkpoint is deleted when its trial ends");
            }
        }
    }

    /**
     * With fewer trials than η at the first rung nobody is promoted: the study ends with its trials paused. Raising
     * the budget adds a trial, which completes the rung: its best goes on, thawed if it was paused.
     */
    @Test
    void pausedTrialsNeverHoldAStudyOpenAndARaisedBudgetCanThawThem() throws Exception {
        int epochs = 3;
        PrunerSpec asha = new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.PAUSE, 1, 5);
        List<TrialRecord> first = run(spec(2, epochs, 1, asha), new ScriptedTrainer(epochs));
        assertEquals(List.of(TrialState.PAUSED, TrialState.PAUSED), first.stream().map(TrialRecord::state).toList());

        ScriptedTrainer trainer = new ScriptedTrainer(epochs);
        List<List<Integer>> started = new ArrayList<>();
        List<TrialRecord> raised = run(spec(3, epochs, 1, asha), trainer, new RunListener() {
            @Override
            public void studyStarted(StudyRecord study, int finishedBefore, int pausedBefore) {
                started.add(List.of(finishedBefore, pausedBefore));
            }
        });
        assertEquals(List.of(List.of(0, 2)), started, "the run continues a study of no finished and two paused trials");
        assertEquals(3, raised.size());
        assertEquals(1, raised.stream().filter(t -> t.state() == TrialState.COMPLETE).count(),
                "the top 1/3 of three trials at the first rung: one goes on to the end: " + raised);
        TrialRecord best = raised.stream().filter(t -> t.state() == TrialState.COMPLETE).findFirst().orElseThrow();
        if (best.number() < 3) {
            assertEquals(List.of(1), trainer.resumedAfter.values().iterator().next(),
                    "a paused trial thawed and resumed after its rung");
        }
    }

    @Test
    void ashaStopPrunesLosersWithAReasonAndTheBestIsAlwaysComplete() throws Exception {
        int epochs = 9;
        StudySpec spec = spec(9, epochs, 2, new PrunerSpec(PrunerSpec.Type.ASHA, 1, 3, PrunerSpec.Mode.STOP, 1, 5));
        List<TrialRecord> trials = run(spec, new ScriptedTrainer(epochs));
        List<TrialRecord> pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).toList();
        assertFalse(pruned.isEmpty(), trials.toString());
        for (TrialRecord t : pruned) {
            assertTrue(t.reason().isPresent() && !t.reason().get().isBlank(), "a pruned trial says why: " + t);
            assertTrue(t.epochs() < epochs);
        }
        assertTrue(trials.stream().noneMatch(t -> t.state() == TrialState.PAUSED));
    }
}
