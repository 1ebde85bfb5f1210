package dev.thaw.run;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds scheduled-study jobs with their collaborators. */
public final class StudyJobFactory implements JobFactory {
    private final ScheduledStudyRunner runner;

    public StudyJobFactory(ScheduledStudyRunner runner) {
        this.runner = runner;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        if (bundle.getJobDetail().getJobClass() == StudyJob.class) {
            return new StudyJob(runner);
        }
        throw new SchedulerException("Thaw does not know how to build a " + bundle.getJobDetail().getJobClass());
    }
}
