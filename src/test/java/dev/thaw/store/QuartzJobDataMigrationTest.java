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
        Credentials before5 = new Credentials("sa", ""); // how databases were made then: no password
        Flyway.configure().dataSource(url, before5.user(), before5.password())
                .locations("classpath:db/migration/common").javaMigrations(new V2__QuartzJobStore()).target("4")
                .load().migrate();
        Properties old = ClusterConfig.trials(url, before5, 1).properties();
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

        java.util.List<String> notices = new java.util.ArrayList<>();
        Properties now;
        try (Database db = Database.open(url, java.util.Map.of(), notices::add)) {
            now = ClusterConfig.trials(db.url(), db.credentials(), 1).properties();
        }
        assertEquals(1, notices.size(), notices.toString());
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
