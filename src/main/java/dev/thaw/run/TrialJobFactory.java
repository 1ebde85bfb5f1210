package dev.thaw.run;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds trial jobs with their collaborators, instead of Quartz's no-argument reflection. */
public final class TrialJobFactory implements JobFactory {
    private final TrialExecutor trials;

    public TrialJobFactory(TrialExecutor trials) {
        this.trials = trials;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        if (type == TrialJob.class) {
            return new TrialJob(trials);
        }
        throw new SchedulerException("Thaw does not know how to build a " + type.getName());
    }
}
