package dev.thaw.run;

import dev.thaw.search.SamplerFactory;
import dev.thaw.store.ScheduleRecord;
import dev.thaw.store.ScheduleStore;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.StudyEnvironment;
import dev.thaw.study.yaml.StudyFileWriter;
import dev.thaw.train.Devices;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a scheduled study when its time comes, on the node whose scheduler fired it: a one-off schedule runs the study
 * under its own name; each firing of a cron schedule runs a fresh study named {@code <name>-<yyyyMMdd-HHmm>} (UTC),
 * so that nightly re-tuning keeps every night's results. Trials go to the whole cluster.
 */
public final class ScheduledStudyRunner {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

    private final ScheduleStore schedules;
    private final StudyStore studies;
    private final TrialStore trials;
    private final QuartzCluster cluster;
    private final StudyContexts contexts;
    private final Clock clock;
    private final RunListener listener;
    private final Consumer<String> log;
    private final String node;
    private final TrialEnded ended;

    public ScheduledStudyRunner(ScheduleStore schedules, StudyStore studies, TrialStore trials, QuartzCluster cluster,
                                StudyContexts contexts, Clock clock, RunListener listener, Consumer<String> log,
                                String node, TrialEnded ended) {
        this.schedules = schedules;
        this.studies = studies;
        this.trials = trials;
        this.cluster = cluster;
        this.contexts = contexts;
        this.clock = clock;
        this.listener = listener;
        this.log = log;
        this.node = node;
        this.ended = ended;
    }

    void run(long scheduleId, Instant fireTime) {
        Optional<ScheduleRecord> schedule = schedules.get(scheduleId);
        if (schedule.isEmpty()) {
            return; // removed after it was queued
        }
        String name = schedule.get().name();
        try {
            StudySpec spec = new StudyEnvironment().files(new StudyFileReader().parse(schedule.get().specText()));
            if (spec.slots() == 0) {
                spec = spec.withSlots(Devices.defaultSlots());
            }
            if (schedule.get().cron().isPresent()) {
                spec = spec.withName(name + "-" + SUFFIX.format(fireTime));
            }
            log.accept("schedule " + name + " fired: running study " + spec.name());
            StudyDriver driver = new StudyDriver(studies, trials, cluster, new SamplerFactory(), clock, listener, node,
                    Duration.ofMillis(500), ended);
            StudyRecord study = driver.open(spec, new StudyFileWriter().write(spec, null));
            driver.drive(spec, study, contexts.forStudy(study).environment());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.accept("schedule " + name + " could not run: " + msg.lines().findFirst().orElse(msg));
        }
    }
}
