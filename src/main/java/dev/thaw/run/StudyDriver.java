package dev.thaw.run;

import dev.thaw.search.Promotion;
import dev.thaw.search.Pruner;
import dev.thaw.search.PrunerFactory;
import dev.thaw.search.Sampler;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SearchSpace;
import dev.thaw.store.Ranking;
import dev.thaw.store.StudyConflictException;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialProgress;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.Baseline;
import dev.thaw.study.StudySpec;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileException;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.study.yaml.StudyFileWriter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drives a study to its budget: asks the sampler for a proposal from the study's history, records each trial QUEUED
 * and hands it to the cluster, keeps up to {@code slots} trials in flight, and adds each trial to the history as it
 * is created and as it ends, in whatever order trials end. All state is in the store: on start it reads the history
 * from the store (the sampler needs nothing else, see {@link Sampler}), re-queues trials that lost their job, and
 * lets Quartz recover trials whose node died. One driver per study at a time (a lease in
 * the study row); re-running a finished study adds trials only if its budget was raised. With {@code baseline:
 * scratch}, once the search holds its budget the driver adds one more trial, outside the search and its budget: the
 * best trial's hyperparameters on the same architecture from random weights.
 */
public final class StudyDriver {
    /** A driver whose lease is older than this is taken to be dead. */
    static final Duration DRIVER_STALE = Duration.ofSeconds(15);
    /** How often the driver looks for trials whose job ended without recording a result. */
    static final Duration LOST_CHECK = Duration.ofSeconds(5);
    /** How often, at most, the driver looks for a request to stop the study. */
    static final Duration STOP_CHECK = Duration.ofMillis(100);
    /** How often a driver renews its lease. */
    static final Duration LEASE_RENEWAL = Duration.ofSeconds(2);

    private final StudyStore studies;
    private final TrialStore trials;
    private final QuartzCluster cluster;
    private final SamplerFactory samplers;
    private final Clock clock;
    private final RunListener listener;
    private final String name;
    private final Duration poll;
    private final TrialEnded ended;
    private final StudyLease lease;

    public StudyDriver(StudyStore studies, TrialStore trials, QuartzCluster cluster, SamplerFactory samplers,
                       Clock clock, RunListener listener, String name, Duration poll, TrialEnded ended) {
        this.studies = studies;
        this.trials = trials;
        this.cluster = cluster;
        this.samplers = samplers;
        this.clock = clock;
        this.listener = listener;
        this.name = name;
        this.poll = poll;
        this.ended = ended;
        this.lease = StudyLease.sleeping(studies, clock, listener, name);
    }

    /**
     * Returns once this process may drive the study (see {@link StudyLease}), saying who drives it; call it before
     * the slow start of a run so that a run that may not drive the study says so at once.
     *
     * @throws StudyBusyException when another live process drives the study
     */
    public void awaitLease(StudySpec spec) throws InterruptedException {
        lease.awaitFree(spec.name());
    }

    /**
     * Registers (or continues) the study and takes its driver lease. A study already recorded is changed only once
     * the lease is taken, so a run that is refused leaves it as it was.
     *
     * @throws StudyBusyException when another live process drives the study
     */
    public StudyRecord open(StudySpec spec, String specText) throws InterruptedException {
        String identity = new StudyFileWriter().identity(spec);
        Optional<StudyRecord> existing = studies.find(spec.name()).filter(s -> s.specHash().equals(identity));
        if (existing.isPresent()) {
            lease.take(existing.get());
        }
        StudyRecord study;
        try {
            study = studies.createOrContinue(spec.name(), specText, identity, spec.metric(), spec.direction(),
                    spec.search().trials(), spec.slots());
        } catch (StudyConflictException e) {
            throw new StudyConflictException(conflict(spec));
        }
        if (existing.isEmpty()) {
            lease.take(study);
        }
        studies.recordOutputDir(study.id(), spec.output().dir()); // where its models go, found from any folder
        return study;
    }

    /** Why {@code spec} cannot continue the study recorded under its name: the fields that differ, and the way out. */
    private String conflict(StudySpec spec) {
        String fields = "";
        Optional<StudyRecord> recorded = studies.find(spec.name());
        if (recorded.isPresent()) {
            try {
                StudySpec old = new StudyFileReader().parse(recorded.get().specText());
                if (old.data().classesPending() && !spec.data().classesPending()) {
                    old = old.withData(old.data().withClassNames(spec.data().classNames())); // as its run resolved them
                }
                List<String> differ = new StudyFileWriter().differences(old, spec);
                fields = differ.isEmpty() ? "" : " (" + String.join(", ", differ.subList(0, Math.min(5, differ.size())))
                        + (differ.size() > 5 ? ", ..." : "") + " changed)";
            } catch (StudyFileException | RuntimeException e) {
                // stored by an older version: say what we can
            }
        }
        return "a study named '" + spec.name() + "' already exists with a different study file" + fields
                + "; only search.trials, search.max_time, resources.slots, baseline and cache may change to continue "
                + "it: undo the change, or give this study another name";
    }

    /** Runs the study opened with {@link #open} until it holds its budget or is stopped. */
    public RunSummary drive(StudySpec spec, StudyRecord study, RunEnvironment env) throws InterruptedException {
        Instant deadline = spec.search().maxTime().map(clock.instant()::plus).orElse(Instant.MAX);
        List<TrialProgress> progress = trials.progress(study.id());
        SearchSpace space = SearchSpace.of(spec);
        Sampler sampler = samplers.create(spec.search(), space, spec.direction());
        Pruner pruner = new PrunerFactory().create(spec.pruner(), spec.direction(), spec.epochs());
        TrialHistory history = trials.history(study.id());
        Set<Long> reported = new HashSet<>();
        progress.stream().filter(p -> p.state().finished()).forEach(p -> reported.add(p.id()));
        boolean baselineQueued = progress.stream().anyMatch(TrialProgress::baseline);
        listener.studyStarted(study, (int) progress.stream().filter(p -> p.state().finished() && !p.baseline()).count(),
                (int) progress.stream().filter(p -> p.state() == TrialState.PAUSED && !p.baseline()).count());
        deleteEndedCheckpoints(spec, progress);
        recover(study, progress);
        int budget = spec.search().trials();
        int lastNumber = progress.stream().mapToInt(TrialProgress::number).max().orElse(0);
        boolean asking = true;
        boolean thawing = true; // paused trials may thaw until the study is stopped
        boolean stale = false; // trials in flight recorded epochs the history does not hold yet
        boolean exhausted = false; // a finished grid: the search is over, the baseline may still run
        Instant nextLostCheck = clock.instant().plus(LOST_CHECK);
        StudyStatus status = StudyStatus.COMPLETE;
        String why = "it holds its budget of " + budget + (budget == 1 ? " trial" : " trials");
        Set<Long> inFlight = new HashSet<>();
        progress.stream().filter(p -> p.state().inFlight()).forEach(p -> inFlight.add(p.id()));
        Set<Long> paused = new HashSet<>(); // set aside at a rung: neither in flight nor finished
        progress.stream().filter(p -> p.state() == TrialState.PAUSED).forEach(p -> paused.add(p.id()));
        Map<Integer, Long> idOf = new HashMap<>();
        progress.forEach(p -> idOf.put(p.number(), p.id()));
        Map<Long, Integer> epochsSeen = new HashMap<>();
        long finished = progress.stream().filter(p -> p.state().finished() && !p.baseline()).count();
        Instant nextLease = clock.instant();
        Optional<TrialRecord> best = trials.best(study.id(), spec.direction());
        Instant nextStopCheck = clock.instant();
        try {
            while (true) {
                if (!clock.instant().isBefore(nextLease)) {
                    if (!studies.claimDriver(study.id(), name, DRIVER_STALE)) {
                        throw lease.lost(study); // another process took over: two drivers would number trials twice
                    }
                    nextLease = clock.instant().plus(LEASE_RENEWAL);
                }
                Set<Long> watched = new HashSet<>(inFlight);
                watched.addAll(paused); // a user may stop a paused trial
                progress = trials.progress(watched);
                inFlight.clear();
                for (TrialProgress p : progress) {
                    if (p.state().inFlight()) {
                        inFlight.add(p.id());
                        Integer seen = epochsSeen.put(p.id(), p.epochs());
                        stale |= seen != null && seen != p.epochs();
                    } else if (p.state() == TrialState.PAUSED) {
                        if (paused.add(p.id())) {
                            TrialRecord record = trials.get(p.id());
                            history = history.with(TrialStore.historic(record, trials.epochs(p.id()), false));
                            listener.trialPaused(record);
                        }
                    } else if (reported.add(p.id())) {
                        paused.remove(p.id());
                        epochsSeen.remove(p.id());
                        TrialRecord record = trials.get(p.id());
                        history = history.with(TrialStore.historic(record, trials.epochs(p.id()),
                                trials.stopRequest(p.id()).isPresent()));
                        if (p.baseline()) {
                            listener.baselineFinished(record, best); // outside the search and its budget
                            continue;
                        }
                        finished++;
                        if (p.state() == TrialState.COMPLETE && p.score().isPresent()) {
                            if (best.isEmpty() || Ranking.before(record, best.get(), spec.direction())) {
                                best = Optional.of(record);
                            }
                        }
                        listener.trialFinished(record, best);
                    }
                }
                if (clock.instant().isAfter(nextLostCheck)) {
                    failLost(progress);
                    nextLostCheck = clock.instant().plus(LOST_CHECK);
                }
                Optional<String> stopRequest = Optional.empty();
                if (asking && !clock.instant().isBefore(nextStopCheck)) {
                    stopRequest = studies.get(study.id()).stopRequest();
                    nextStopCheck = clock.instant().plus(STOP_CHECK);
                }
                if (asking && stopRequest.isPresent()) {
                    asking = false;
                    thawing = false;
                    status = StudyStatus.STOPPED;
                    why = "by request: " + stopRequest.get();
                    paused.addAll(cancelQueued(progress, why));
                } else if (asking && !clock.instant().isBefore(deadline)) {
                    asking = false;
                    thawing = false;
                    status = StudyStatus.STOPPED;
                    why = "search.max_time of " + spec.search().maxTime().orElseThrow() + " reached";
                    paused.addAll(cancelQueued(progress, why));
                }
                if (thawing && !paused.isEmpty() && inFlight.size() < spec.slots() && stale) {
                    history = trials.history(study.id()); // promotions compare with every value at a rung
                    stale = false;
                }
                boolean thawWaits = false; // a promoted trial whose last job Quartz has not let go of yet
                while (thawing && inFlight.size() < spec.slots() && !paused.isEmpty()) {
                    Optional<TrialHistory.Trial> promoted = Promotion.next(pruner, history);
                    if (promoted.isEmpty()) {
                        break;
                    }
                    long id = idOf.get(promoted.get().number());
                    if (cluster.holds(id)) {
                        // the job that paused it is still ending (or waits to be recovered): queued now, its new job
                        // would be refused as a duplicate and then lost with the old one; it thaws at a later poll
                        thawWaits = true;
                        break;
                    }
                    try {
                        trials.thaw(id);
                    } catch (dev.thaw.store.IllegalTransitionException e) {
                        history = trials.history(study.id()); // stopped by a user meanwhile
                        paused.remove(id);
                        continue;
                    }
                    TrialRecord thawed = trials.get(id);
                    history = history.with(TrialStore.historic(thawed, promoted.get().epochs(), false));
                    paused.remove(id);
                    cluster.submit(study.id(), id);
                    inFlight.add(id);
                    listener.trialThawed(thawed);
                }
                while (asking && finished + paused.size() + inFlight.size() < budget
                        && inFlight.size() < spec.slots()) {
                    Optional<Assignment> next = sampler.propose(space, history,
                            Sampler.randomFor(spec.search().seed(), history));
                    if (next.isEmpty()) {
                        asking = false;
                        exhausted = true;
                        status = StudyStatus.STOPPED;
                        why = "the search space is exhausted after " + (finished + paused.size() + inFlight.size())
                                + " trials";
                        break;
                    }
                    TrialRecord trial = trials.create(study.id(), ++lastNumber, new TrialDraft(next.get(), spec.seed(),
                            env.datasetFingerprint(), env.thawVersion(), env.dl4jVersion(), env.javaVersion()));
                    history = history.with(TrialStore.historic(trial, List.of(), false));
                    idOf.put(trial.number(), trial.id());
                    cluster.submit(study.id(), trial.id());
                    inFlight.add(trial.id());
                }
                if (spec.baseline() == Baseline.SCRATCH && !baselineQueued
                        && (asking && finished + paused.size() >= budget || exhausted)
                        && inFlight.isEmpty() && best.isPresent()) {
                    TrialRecord trial = trials.create(study.id(), ++lastNumber, new TrialDraft(best.get().assignment(),
                            spec.seed(), env.datasetFingerprint(), env.thawVersion(), env.dl4jVersion(),
                            env.javaVersion(), true));
                    cluster.submit(study.id(), trial.id());
                    inFlight.add(trial.id());
                    baselineQueued = true;
                }
                if (inFlight.isEmpty() && !thawWaits && (!asking || finished + paused.size() >= budget)) {
                    break; // paused trials never keep a study from ending: a larger budget may thaw them
                }
                ended.await(poll);
            }
        } finally {
            studies.releaseDriver(study.id(), name);
        }
        if (!paused.isEmpty()) {
            why += "; " + paused.size() + (paused.size() == 1 ? " trial stays" : " trials stay") + " PAUSED with "
                    + (paused.size() == 1 ? "its checkpoint" : "their checkpoints")
                    + (status == StudyStatus.STOPPED && !exhausted
                    ? " (resume the study and they thaw when promoted)"
                    : " (a run with a larger search.trials adds trials; a paused one thaws when their results put it "
                    + "in the top 1/η of its rung)");
        }
        deleteEndedCheckpoints(spec, trials.progress(study.id()));
        studies.setStatus(study.id(), status);
        best = trials.best(study.id(), spec.direction());
        listener.studyFinished(study, status, why, best);
        return new RunSummary(study.id(), spec.name(), status, why, trials.nextNumber(study.id()) - 1, best);
    }

    /**
     * Deletes the checkpoint folders of trials that have ended: a process killed between recording a trial's end and
     * deleting its folder, or a trial failed as lost, leaves one behind. Only a PAUSED trial (or one thawed and not
     * yet ended) needs its checkpoint.
     */
    private void deleteEndedCheckpoints(StudySpec spec, List<TrialProgress> all) {
        for (TrialProgress t : all) {
            if (t.state().finished()) {
                try {
                    Checkpoints.delete(spec, t.number());
                } catch (java.io.UncheckedIOException e) {
                    listener.note("cannot delete the checkpoint of trial " + t.number() + ", which has ended: "
                            + e.getCause().getMessage() + "; delete " + Checkpoints.trial(spec, t.number()) + " by hand");
                }
            }
        }
    }

    /**
     * Unfinished trials whose Quartz job is gone (lost between recording and queueing) are queued again; running
     * trials whose job Quartz still holds are recovered by Quartz once their node is declared dead.
     */
    private void recover(StudyRecord study, List<TrialProgress> existing) {
        int waiting = 0;
        for (TrialProgress t : existing) {
            if (t.state().inFlight() && !cluster.holds(t.id())) {
                if (t.state() == TrialState.RUNNING) {
                    trials.requeue(t.id());
                }
                cluster.submit(study.id(), t.id());
            } else if (t.state() == TrialState.RUNNING) {
                waiting++;
            }
        }
        if (waiting > 0) {
            listener.note(waiting + " trial" + (waiting == 1 ? " was" : "s were") + " running when last seen; "
                    + "if its process died, it runs again from scratch once the cluster notices (about 10 s)");
        }
    }

    /**
     * A trial still unfinished after Quartz dropped its job was lost by its job (an error the job could not record);
     * it is recorded FAILED so that the study does not wait for it forever. Quartz is asked first, the trial second,
     * so a job that finished in between is not mistaken for a lost one.
     */
    private void failLost(List<TrialProgress> progress) {
        for (TrialProgress t : progress) {
            if (t.state().inFlight() && !cluster.holds(t.id()) && trials.get(t.id()).state().inFlight()) {
                try {
                    trials.fail(t.id(), "its job ended without a result; see the log of the node that ran it");
                } catch (dev.thaw.store.IllegalTransitionException e) {
                    // it finished meanwhile
                }
            }
        }
    }

    /**
     * Withdraws the queued trials: a thawed trial that has not resumed yet goes back to PAUSED with its checkpoint,
     * any other is STOPPED with {@code why}.
     *
     * @return the trials paused again
     */
    private Set<Long> cancelQueued(List<TrialProgress> progress, String why) {
        Set<Long> repaused = new HashSet<>();
        for (TrialProgress t : progress) {
            if (t.state() == TrialState.QUEUED) {
                cluster.withdraw(t.id());
                try {
                    if (trials.checkpoint(t.id()).isPresent()) {
                        trials.unthaw(t.id());
                        repaused.add(t.id());
                    } else {
                        trials.cancel(t.id(), why);
                    }
                } catch (dev.thaw.store.IllegalTransitionException e) {
                    // it started meanwhile; it runs to its end
                }
            }
        }
        return repaused;
    }
}
