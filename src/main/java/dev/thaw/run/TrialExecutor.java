package dev.thaw.run;

import dev.thaw.search.Pruner;
import dev.thaw.search.PrunerFactory;
import dev.thaw.store.Checkpoint;
import dev.thaw.store.StoreException;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialState;
import dev.thaw.train.Devices;
import dev.thaw.train.fit.TrialCheckpoint;
import dev.thaw.train.fit.TrialFailedException;
import dev.thaw.train.fit.TrialOutcome;

import java.time.Clock;
import java.util.OptionalInt;
import java.util.Optional;

/**
 * Runs one trial on this node, on a slot thread: starts it in the store (re-running it from scratch if it was left
 * RUNNING by a node that died), trains it, records the outcome and keeps its model as the study asks. Safe to call
 * again for a trial that already finished: it then does nothing, so a recovered Quartz job never runs a trial twice.
 */
public final class TrialExecutor {
    private final StudyStore studies;
    private final TrialStore trials;
    private final StudyContexts contexts;
    private final Clock clock;
    private final RunListener listener;
    private final String worker;
    private final ModelKeeper keeper;

    private final TrialEnded ended;

    public TrialExecutor(StudyStore studies, TrialStore trials, StudyContexts contexts, Clock clock,
                         RunListener listener, String worker, TrialEnded ended) {
        this.studies = studies;
        this.trials = trials;
        this.contexts = contexts;
        this.clock = clock;
        this.listener = listener;
        this.worker = worker;
        this.keeper = new ModelKeeper(trials);
        this.ended = ended;
    }

    void execute(long studyId, long trialId) {
        try {
            run(studyId, trialId);
            ended.signal();
        } catch (RuntimeException | Error e) {
            try {
                trials.fail(trialId, "failed on " + worker + ": " + oneLine(e));
            } catch (RuntimeException ignored) {
                // the store itself is failing; the driver notices the trial lost its job
            }
            ended.signal();
            throw e;
        }
    }

    private void run(long studyId, long trialId) {
        TrialRecord trial;
        try {
            trial = trials.get(trialId);
        } catch (StoreException e) {
            return; // the trial's study was deleted
        }
        if (trial.state().finished()) {
            return;
        }
        Optional<String> stop = trials.stopRequest(trialId);
        if (trial.state() == TrialState.QUEUED && stop.isPresent()) {
            boolean thawed = trials.checkpoint(trialId).isPresent();
            trials.cancel(trialId, (thawed ? "stopped before it resumed: " : "stopped before it started: ")
                    + stop.get());
            deleteCheckpoint(studyId, trial);
            return;
        }
        if (trial.state() == TrialState.PAUSED) {
            return; // set aside again before this job ran (its study stopped); the driver thaws it when promoted
        }
        if (trial.state() == TrialState.RUNNING) {
            trials.requeue(trialId);
            trial = trials.get(trialId);
        }
        TrialRecord running = trials.start(trial, worker);
        StudyRecord study = studies.get(studyId);
        StudyContext context;
        try {
            context = contexts.forStudy(study);
        } catch (Exception e) {
            trials.fail(trialId, "cannot run on " + worker + ": " + oneLine(e));
            deleteCheckpoint(studyId, running);
            return;
        }
        listener.trialStarted(running, running.baseline() ? 0 : trials.searchPosition(studyId, running.number()),
                study.budget());
        Devices.bindCurrentThread(slotOf(Thread.currentThread()));
        StudySpec spec = context.spec();
        Optional<Checkpoint> checkpoint = trials.checkpoint(trialId);
        try {
            Pruner pruner = new PrunerFactory().create(spec.pruner(), spec.direction(), spec.epochs());
            StoreControl control = new StoreControl(studies, trials, running, spec.epochs(), clock, listener, pruner,
                    Checkpoints.of(spec, running.number()),
                    checkpoint.map(c -> OptionalInt.of(c.epoch())).orElse(OptionalInt.empty()));
            TrialOutcome outcome = running.baseline()
                    ? context.trainer().trainFromScratch(running.assignment(), control)
                    : context.trainer().train(running.assignment(), control);
            if (outcome instanceof TrialOutcome.Paused paused) {
                trials.pause(trialId, paused.epoch(), paused.reason(), control.checkpointDir());
                TrialCheckpoint.keepOnly(control.checkpointDir(), paused.epoch()); // the one resumed from is stale
            } else if (outcome instanceof TrialOutcome.Finished done) {
                trials.finish(trialId, done.end(), spec.metric().of(done.result()),
                        spec.metric().spread(done.result()), done.result(), done.reason().orElse(null));
                keeper.offer(spec, running, done.model());
                deleteCheckpoint(spec, running);
            }
        } catch (TrialFailedException e) {
            trials.fail(trialId, e.getMessage());
            deleteCheckpoint(spec, running);
        }
    }

    /**
     * Removes the folder a trial that ended kept its checkpoint in (none unless it paused). A folder that cannot be
     * deleted is left, with a note, for the study's next run to delete: the trial's end is recorded already.
     */
    private void deleteCheckpoint(StudySpec spec, TrialRecord trial) {
        try {
            Checkpoints.delete(spec, trial.number());
        } catch (java.io.UncheckedIOException e) {
            listener.note("cannot delete the checkpoint of trial " + trial.number() + ", which has ended: "
                    + e.getCause().getMessage() + "; the study's next run tries again");
        }
    }

    /**
     * As {@link #deleteCheckpoint(StudySpec, TrialRecord)} for a trial that ended before its study file was read
     * here: the folder is found from the output folder the study recorded.
     */
    private void deleteCheckpoint(long studyId, TrialRecord trial) {
        StudyRecord study = studies.get(studyId);
        try {
            studies.outputDir(studyId).ifPresent(dir -> Checkpoints.delete(Checkpoints.folder(dir, study.name()),
                    trial.number()));
        } catch (java.io.UncheckedIOException e) {
            listener.note("cannot delete the checkpoint of trial " + trial.number() + ", which has ended: "
                    + e.getCause().getMessage() + "; the study's next run tries again");
        }
    }

    /** Quartz names its pool threads {@code thaw-slot-N}, N from 1; slot N-1 picks the device. */
    private static int slotOf(Thread thread) {
        String name = thread.getName();
        int dash = name.lastIndexOf('-');
        try {
            return Integer.parseInt(name.substring(dash + 1)) - 1;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.lines().findFirst().orElse(msg).strip();
    }
}
