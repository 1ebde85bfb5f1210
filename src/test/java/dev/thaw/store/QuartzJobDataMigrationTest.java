package dev.thaw.store;

import dev.thaw.run.ClusterConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.nio.file.Path;
import java.util.Date;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A job stored by an earlier Thaw (job data as a serialized Java map) still runs after migration 5. */
class QuartzJobDataMigrationTest {
    @TempDir
    Path dir;

    @Test
    void serializedJobDataBecomesPropertiesText() throws Exception {
        String url = Database.fileUrl(dir);
        Flyway.configure().dataSource(url, Database.user(), Database.password())
                .locations("classpath:db/migration/common").javaMigrations(new V2__QuartzJobStore()).target("4")
                .load().migrate();
        Properties old = ClusterConfig.trials(url, Database.user(), Database.password(), 1).properties();
        old.setProperty("org.quartz.jobStore.useProperties", "false");
        old.setProperty("org.quartz.scheduler.instanceName", "thaw-before-v5");
        JobKey key = JobKey.jobKey("trial-42", "trials");
        Scheduler before = new StdSchedulerFactory(old).getScheduler();
        try {
            before.scheduleJob(JobBuilder.newJob(NeverRuns.class).withIdentity(key).usingJobData("studyId", 7L)
                            .usingJobData("trialId", 42L).requestRecovery(true).build(),
                    TriggerBuilder.newTrigger().withIdentity("trial-42", "trials").usingJobData("note", "kept")
                            .startAt(new Date(System.currentTimeMillis() + 3_600_000)).build());
        } finally {
            before.shutdown();
        }

        Database.open(url).close();

        Properties now = ClusterConfig.trials(url, Database.user(), Database.password(), 1).properties();
        now.setProperty("org.quartz.scheduler.instanceName", "thaw-before-v5");
        Scheduler after = new StdSchedulerFactory(now).getScheduler();
        try {
            var data = after.getJobDetail(key).getJobDataMap();
            assertEquals(7L, data.getLongValue("studyId"));
            assertEquals(42L, data.getLongValue("trialId"));
            assertEquals("kept", after.getTrigger(org.quartz.TriggerKey.triggerKey("trial-42", "trials"))
                    .getJobDataMap().getString("note"));
        } finally {
            after.shutdown();
        }
    }

    /** The stored job's class; the test never starts a scheduler. */
    public static final class NeverRuns implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
        }
    }
}
