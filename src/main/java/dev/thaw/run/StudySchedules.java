package dev.thaw.run;

import dev.thaw.store.ScheduleRecord;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The Quartz scheduler of scheduled studies: one durable job per schedule, fired once ({@code --at}) or on a cron
 * expression, kept in the database's job store so that schedules survive restarts. Workers start it; the
 * {@code schedule} and {@code schedules} commands only read and write it.
 */
public final class StudySchedules implements AutoCloseable {
    static final String SCHEDULE_ID = "scheduleId";

    private final Scheduler scheduler;

    private StudySchedules(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Opens the schedules to read and change them; this node fires none. */
    public static StudySchedules open(ClusterConfig config) {
        return new StudySchedules(scheduler(config));
    }

    /** Opens the schedules and fires them on this node, building their jobs with {@code jobs}. */
    public static StudySchedules start(ClusterConfig config, JobFactory jobs) {
        Scheduler scheduler = scheduler(config);
        try {
            scheduler.setJobFactory(jobs);
            scheduler.start();
            return new StudySchedules(scheduler);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the study schedules: " + e.getMessage(), e);
        }
    }

    private static Scheduler scheduler(ClusterConfig config) {
        try {
            return new StdSchedulerFactory(config.properties()).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot open the study schedules on " + config.jdbcUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Why {@code cron} is not a Quartz cron expression, or empty when it is one. */
    public static Optional<String> cronProblem(String cron) {
        try {
            CronExpression.validateExpression(cron);
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static JobKey key(String name) {
        return JobKey.jobKey("schedule-" + name, "schedules");
    }

    /** Adds the schedule's trigger; a time that has passed fires at once. Returns the first fire time. */
    public Instant add(ScheduleRecord schedule, ZoneId zone) {
        JobDetail job = JobBuilder.newJob(StudyJob.class).withIdentity(key(schedule.name()))
                .usingJobData(SCHEDULE_ID, String.valueOf(schedule.id())).storeDurably(true).requestRecovery(false).build();
        TriggerBuilder<Trigger> trigger = TriggerBuilder.newTrigger().withIdentity("schedule-" + schedule.name(),
                "schedules");
        Trigger built = schedule.cron().isPresent()
                ? trigger.withSchedule(CronScheduleBuilder.cronSchedule(schedule.cron().get())
                .inTimeZone(TimeZone.getTimeZone(zone)).withMisfireHandlingInstructionFireAndProceed()).build()
                : trigger.startAt(Date.from(schedule.at().orElseThrow()))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            Date first = scheduler.scheduleJob(job, built);
            return first.toInstant();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule '" + schedule.name() + "': " + e.getMessage(), e);
        }
    }

    /** When the schedule fires next; empty when it has fired for the last time. */
    public Optional<Instant> nextFire(String name) {
        try {
            List<? extends Trigger> triggers = scheduler.getTriggersOfJob(key(name));
            return triggers.stream().map(Trigger::getNextFireTime).filter(d -> d != null).map(Date::toInstant)
                    .min(Instant::compareTo);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read schedule '" + name + "': " + e.getMessage(), e);
        }
    }

    public void remove(String name) {
        try {
            scheduler.deleteJob(key(name));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot remove schedule '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        SchedulerShutdown.stop(scheduler, "study schedules");
    }
}
