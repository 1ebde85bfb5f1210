package dev.thaw.run;

import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.StudySpec;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileWriter;
import dev.thaw.train.TrialFailedException;
import dev.thaw.train.TrialOutcome;
import dev.thaw.train.TrialTrainer;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs a study to its budget, one trial at a time: asks the sampler, records the trial, trains it, records the
 * outcome and tells the sampler. Re-running a study continues it: the sampler is rebuilt by replaying the stored
 * trials, and new trials are added until the study holds its budget of trials. A trial that fails is recorded
 * FAILED with its reason and the study goes on.
 */
public final class StudyRunner {
    private final StudyStore studies;
    private final TrialStore trials;
    private final SamplerFactory samplers;
    private final Clock clock;
    private final RunListener listener;

    public StudyRunner(StudyStore studies, TrialStore trials, SamplerFactory samplers, Clock clock,
                       RunListener listener) {
        this.studies = studies;
        this.trials = trials;
        this.samplers = samplers;
        this.clock = clock;
        this.listener = listener;
    }

    public RunSummary run(StudySpec spec, String specText, TrialTrainer trainer, RunEnvironment env) {
        Instant deadline = spec.search().maxTime().map(clock.instant()::plus).orElse(Instant.MAX);
        StudyRecord study = studies.createOrContinue(spec.name(), specText, new StudyFileWriter().identity(spec),
                spec.metric(), spec.direction(), spec.search().trials());
        List<TrialRecord> before = trials.list(study.id());
        closeInterrupted(before);
        Sampler sampler = replay(spec, trials.list(study.id()));
        ModelKeeper keeper = new ModelKeeper(spec, trials);
        int count = before.size();
        listener.studyStarted(study, count);
        StudyStatus status = StudyStatus.COMPLETE;
        String why = "it holds its budget of " + spec.search().trials() + (spec.search().trials() == 1 ? " trial" : " trials");
        while (count < spec.search().trials()) {
            if (!clock.instant().isBefore(deadline)) {
                status = StudyStatus.STOPPED;
                why = "search.max_time of " + spec.search().maxTime().orElseThrow() + " reached";
                break;
            }
            Optional<Assignment> next = sampler.next();
            if (next.isEmpty()) {
                status = StudyStatus.STOPPED;
                why = "the search space is exhausted after " + count + " trials";
                break;
            }
            count++;
            TrialRecord trial = trials.create(study.id(), trials.nextNumber(study.id()), new TrialDraft(next.get(),
                    spec.seed(), env.datasetFingerprint(), env.thawVersion(), env.dl4jVersion(), env.javaVersion()));
            runTrial(spec, trial, trainer, sampler, count, keeper);
        }
        studies.setStatus(study.id(), status);
        Optional<TrialRecord> best = trials.best(study.id(), spec.direction());
        listener.studyFinished(study, status, why, best);
        return new RunSummary(spec.name(), status, why, count, best);
    }

    private void runTrial(StudySpec spec, TrialRecord trial, TrialTrainer trainer, Sampler sampler, int n,
                          ModelKeeper keeper) {
        trials.move(trial.id(), TrialState.RUNNING);
        TrialRecord running = trials.get(trial.id());
        listener.trialStarted(running, spec.search().trials());
        try {
            TrialOutcome outcome = trainer.train(trial.assignment(), point -> {
                trials.recordEpoch(trial.id(), point);
                listener.epochFinished(running, point, spec.epochs());
                return true;
            });
            double score = spec.metric().of(outcome.result());
            TrialState end = outcome.stoppedEarly() ? TrialState.PRUNED : TrialState.COMPLETE;
            trials.finish(trial.id(), end, score, outcome.result());
            sampler.tell(n, score);
            keeper.offer(trials.get(trial.id()), outcome.model());
        } catch (TrialFailedException e) {
            trials.fail(trial.id(), e.getMessage());
        }
        listener.trialFinished(trials.get(trial.id()), trials.best(trial.studyId(), spec.direction()));
    }

    /** Trials left QUEUED or RUNNING by a process that stopped are recorded FAILED; they keep their numbers. */
    private void closeInterrupted(List<TrialRecord> existing) {
        for (TrialRecord t : existing) {
            if (!t.state().finished()) {
                trials.fail(t.id(), "interrupted: the process running this trial stopped before it finished");
            }
        }
    }

    /** Rebuilds the sampler's state by asking once per stored trial and telling it each finished trial's score. */
    private Sampler replay(StudySpec spec, List<TrialRecord> existing) {
        Sampler sampler = samplers.create(spec.search(), spec.space(), spec.direction());
        int n = 0;
        for (TrialRecord t : existing) {
            n++;
            sampler.next();
            if (t.state() == TrialState.COMPLETE && t.score().isPresent()) {
                sampler.tell(n, t.score().get());
            }
        }
        return sampler;
    }
}
