package dev.thaw.run;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

/**
 * This node's Quartz scheduler: the one place Thaw talks to Quartz about trials. A trial is a non-durable job
 * that asks to be recovered (re-run on another node, or on restart) if the node running it dies; its data map
 * carries the study and trial ids and nothing else.
 */
public final class QuartzCluster implements AutoCloseable {
    static final String STUDY_ID = "studyId";
    static final String TRIAL_ID = "trialId";

    private final Scheduler scheduler;

    private QuartzCluster(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Starts a scheduler that builds jobs with {@code jobs}; it joins any other node on the same database. With
     * {@code runTrials} false it only queues trials for the other nodes and runs none itself.
     */
    public static QuartzCluster start(ClusterConfig config, JobFactory jobs, boolean runTrials) {
        try {
            // Quartz keeps one scheduler per name and process, whatever its database: a second one would silently
            // be the first, feeding this study's trials to another database's executor
            if (SchedulerRepository.getInstance().lookup(config.schedulerName()) != null) {
                throw new IllegalStateException("this process already runs a Thaw scheduler (a study or a worker); "
                        + "run one study or worker per process");
            }
            Scheduler scheduler = new StdSchedulerFactory(config.properties()).getScheduler();
            scheduler.setJobFactory(jobs);
            if (runTrials) {
                scheduler.start();
            }
            return new QuartzCluster(scheduler);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the trial scheduler on " + config.jdbcUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    static JobKey trialKey(long trialId) {
        return JobKey.jobKey("trial-" + trialId, "trials");
    }

    /** Queues a trial to run on the first free slot of any node; a trial already queued is left as it is. */
    void submit(long studyId, long trialId) {
        JobDetail job = JobBuilder.newJob(TrialJob.class).withIdentity(trialKey(trialId))
                .usingJobData(STUDY_ID, String.valueOf(studyId)).usingJobData(TRIAL_ID, String.valueOf(trialId))
                .requestRecovery(true).storeDurably(false).build();
        Trigger now = TriggerBuilder.newTrigger().withIdentity("trial-" + trialId, "trials").startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            scheduler.scheduleJob(job, now);
        } catch (ObjectAlreadyExistsException e) {
            // queued before a crash: Quartz still holds it
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot queue trial " + trialId + ": " + e.getMessage(), e);
        }
    }

    /** True while Quartz holds the trial's job: waiting for a slot, running, or waiting to be recovered. */
    boolean holds(long trialId) {
        try {
            return scheduler.checkExists(trialKey(trialId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read the job store: " + e.getMessage(), e);
        }
    }

    /** Removes a queued trial's job so that it never starts. */
    void withdraw(long trialId) {
        try {
            scheduler.deleteJob(trialKey(trialId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot withdraw trial " + trialId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts running trials on this node's slots, for a scheduler started with {@code runTrials} false: a run starts
     * its slots only once it drives its study, so that a run that is refused takes no trial of the cluster.
     */
    public void runTrials() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the trial scheduler: " + e.getMessage(), e);
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Stops taking trials and waits for the ones running on this node to finish. */
    @Override
    public void close() {
        SchedulerShutdown.stop(scheduler, "trial scheduler");
    }
}
