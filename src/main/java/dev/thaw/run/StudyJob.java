package dev.thaw.run;

import org.quartz.JobExecutionContext;

/** A scheduled study as a Quartz job: reads the schedule id and has the study run on this node. */
final class StudyJob implements org.quartz.Job {
    private final ScheduledStudyRunner runner;

    StudyJob(ScheduledStudyRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        runner.run(context.getMergedJobDataMap().getLongValue(StudySchedules.SCHEDULE_ID),
                context.getScheduledFireTime().toInstant());
    }
}
