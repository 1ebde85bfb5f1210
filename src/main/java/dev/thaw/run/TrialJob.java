package dev.thaw.run;

import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;

/** A trial as a Quartz job: reads the ids from its data map and hands the trial to the {@link TrialExecutor}. */
final class TrialJob implements Job {
    private final TrialExecutor executor;

    TrialJob(TrialExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        executor.execute(data.getLongValue(QuartzCluster.STUDY_ID), data.getLongValue(QuartzCluster.TRIAL_ID));
    }
}
