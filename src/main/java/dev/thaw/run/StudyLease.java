package dev.thaw.run;

import dev.thaw.store.DriverLease;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The lease through which one process at a time drives a study (in the study row, see {@link StudyStore}), as a
 * process that wants to drive the study sees it. The lease is free when nobody holds it, when its holder has not
 * renewed it for {@link StudyDriver#DRIVER_STALE}, or when its holder is a process of this machine that has exited
 * (killed): this process then takes over at once. A holder of this machine that still runs is driving: refused at
 * once. A holder on another machine is watched: a live driver renews its lease every
 * {@link StudyDriver#LEASE_RENEWAL}, so a renewal means it drives (refused); a lease that runs out means it died (this
 * process takes over). Each step is told to the listener in one line, with a countdown while watching. One instance
 * per run, used from one thread.
 */
public final class StudyLease {
    /** How often a watching process reads the lease again. */
    static final Duration LOOK = Duration.ofMillis(250);
    /** How often the countdown says how long the watched lease has left. */
    static final Duration COUNTDOWN = Duration.ofSeconds(5);

    /** Waits between two looks at the lease: {@code Thread::sleep}, or a test's clock moving on. */
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final StudyStore studies;
    private final Clock clock;
    private final Pause pause;
    private final RunListener listener;
    private final String name;
    private final Set<String> told = new HashSet<>();

    /**
     * @param name this process's name for the lease, {@link ClusterConfig#processName} (host and process id)
     */
    public StudyLease(StudyStore studies, Clock clock, Pause pause, RunListener listener, String name) {
        this.studies = studies;
        this.clock = clock;
        this.pause = pause;
        this.listener = listener;
        this.name = name;
    }

    /** A lease that waits with {@link Thread#sleep}. */
    public static StudyLease sleeping(StudyStore studies, Clock clock, RunListener listener, String name) {
        return new StudyLease(studies, clock, d -> Thread.sleep(d.toMillis()), listener, name);
    }

    /**
     * Returns once the lease of the study named {@code study} is free for this process, telling the listener who
     * held it; at once when no such study is recorded. Takes nothing: called before the slow start of a run (data,
     * models), so that a run that may not drive the study says so before loading anything.
     *
     * @throws StudyBusyException when another live process drives the study
     */
    public void awaitFree(String study) throws InterruptedException {
        Optional<StudyRecord> record = studies.find(study);
        if (record.isPresent()) {
            await(record.get(), false);
        }
    }

    /**
     * Takes the study's lease, waiting as {@link #awaitFree} does; nothing is told twice about the same holder.
     *
     * @throws StudyBusyException when another live process drives the study
     */
    public void take(StudyRecord study) throws InterruptedException {
        await(study, true);
    }

    /** The refusal for a driver that found its lease taken by another process (it had not renewed it in time). */
    StudyBusyException lost(StudyRecord study) {
        String by = studies.lease(study.id()).map(l -> new ProcessName(l.driver()).describe()).orElse("another process");
        return new StudyBusyException(study.name(), "study '" + study.name() + "': this run stopped driving it, "
                + by + " took it over after this run had not renewed its lease for " + span(StudyDriver.DRIVER_STALE));
    }

    private void await(StudyRecord study, boolean claim) throws InterruptedException {
        Duration stale = StudyDriver.DRIVER_STALE;
        Optional<DriverLease> watched = Optional.empty();
        Instant nextCount = Instant.MIN;
        while (true) {
            Instant now = clock.instant();
            Optional<DriverLease> held = studies.lease(study.id());
            if (held.isEmpty() || held.get().driver().equals(name)) {
                if (!claim || studies.claimDriver(study.id(), name, stale)) {
                    return;
                }
                continue; // another process took it in between: look again
            }
            DriverLease lease = held.get();
            ProcessName holder = new ProcessName(lease.driver());
            Duration quiet = Duration.between(lease.renewed(), now);
            if (holder.deadHere()) {
                tell(lease, "dead", "study " + study.name() + " was " + drivenBy(lease, now)
                        + ", which is no longer running; this run takes over");
                if (!claim || studies.takeOverDriver(study.id(), lease.driver(), name)) {
                    return;
                }
                continue;
            }
            if (quiet.compareTo(stale) > 0) {
                tell(lease, "expired", "study " + study.name() + " was " + drivenBy(lease, now) + ", which last "
                        + "renewed its lease " + span(quiet) + " ago (a live driver renews it every "
                        + span(StudyDriver.LEASE_RENEWAL) + "); this run takes over");
                if (!claim || studies.claimDriver(study.id(), name, stale)) {
                    return;
                }
                continue;
            }
            if (holder.onThisMachine()) {
                throw busy(study, lease, now, "");
            }
            if (watched.isPresent() && !watched.get().equals(lease)) {
                throw busy(study, lease, now, ", which renewed its lease while this run waited");
            }
            Duration left = stale.minus(quiet);
            if (watched.isEmpty()) {
                watched = held;
                nextCount = now.plus(COUNTDOWN);
                tell(lease, "watching", "study " + study.name() + " is " + drivenBy(lease, now) + ", lease renewed "
                        + span(quiet) + " ago; waiting up to " + span(left) + ": if it renews its lease it is "
                        + "alive and this run exits, if the lease runs out it died and this run takes over");
            } else if (!now.isBefore(nextCount) && left.toSeconds() > 0) {
                nextCount = nextCount.plus(COUNTDOWN);
                listener.note("    the lease of " + holder.describe() + " runs out in " + span(left)
                        + " unless renewed");
            }
            pause.pause(LOOK);
        }
    }

    private StudyBusyException busy(StudyRecord study, DriverLease lease, Instant now, String how) {
        StudyRecord current = studies.find(study.id()).orElse(study);
        String stopping = current.stopRequest().map(r -> "; it was asked to stop (" + r + ")"
                + (current.stopNow() ? ", its running trials too" : " and ends after its running trials")).orElse("");
        return new StudyBusyException(study.name(), "study '" + study.name() + "' is being " + drivenBy(lease, now)
                + how + stopping + "; this run leaves it alone");
    }

    private void tell(DriverLease lease, String what, String line) {
        if (told.add(what + " " + lease.driver() + " " + lease.since())) {
            listener.note(line);
        }
    }

    private static String drivenBy(DriverLease lease, Instant now) {
        return "driven by " + new ProcessName(lease.driver()).describe() + " since "
                + lease.since().truncatedTo(ChronoUnit.SECONDS) + " (" + span(Duration.between(lease.since(), now))
                + " ago)";
    }

    /** A duration for people, in whole seconds rounded up, or minutes, or hours and minutes. */
    static String span(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
