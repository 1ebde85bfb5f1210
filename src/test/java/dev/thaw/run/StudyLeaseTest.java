package dev.thaw.run;

import dev.thaw.store.Database;
import dev.thaw.store.DriverLease;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may drive a study, on a real H2 file and a clock that only the test moves: a free or expired lease is taken, a
 * killed driver of this machine at once, a live one of this machine never; a driver elsewhere is watched until it
 * renews its lease (alive: refused) or lets it run out (dead: taken over), with a countdown.
 */
class StudyLeaseTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ELSEWHERE = "gpu-node-7-4242";

    @TempDir
    Path dir;

    private final MovingClock clock = new MovingClock(T0);
    private final List<String> notes = new ArrayList<>();
    private final RunListener listener = new RunListener() {
        @Override
        public void note(String line) {
            notes.add(line);
        }
    };
    private Database db;
    private StudyStore studies;
    private StudyRecord study;

    @BeforeEach
    void open() {
        db = Database.open(Database.fileUrl(dir));
        studies = new StudyStore(db.dataSource(), clock);
        study = studies.createOrContinue("lease", "text", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 5, 1);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A lease for the process "taker-1" whose pauses move the clock on, running {@code during} at each pause. */
    private StudyLease taker(Runnable during) {
        return new StudyLease(studies, clock, d -> {
            clock.advance(d);
            during.run();
        }, listener, "taker-1");
    }

    private static String thisMachine() {
        return ClusterConfig.host().toLowerCase(Locale.ROOT);
    }

    @Test
    void aFreeLeaseIsTakenAndItsStartIsKeptAcrossRenewals() throws Exception {
        taker(() -> { }).take(study);
        assertEquals(Optional.of(new DriverLease("taker-1", T0, T0)), studies.lease(study.id()));
        clock.advance(Duration.ofSeconds(2));
        assertTrue(studies.claimDriver(study.id(), "taker-1", StudyDriver.DRIVER_STALE), "a renewal");
        assertEquals(Optional.of(new DriverLease("taker-1", T0, T0.plusSeconds(2))), studies.lease(study.id()));
        assertEquals(List.of(), notes, "nothing to say about a free lease");
        studies.releaseDriver(study.id(), "taker-1");
        assertEquals(Optional.empty(), studies.lease(study.id()));
    }

    @Test
    void aLiveDriverOfThisMachineIsReportedAtOnceAndNothingChanges() throws Exception {
        String live = ClusterConfig.processName(); // this test's JVM: alive, on this machine
        studies.claimDriver(study.id(), live, StudyDriver.DRIVER_STALE);
        clock.advance(Duration.ofSeconds(3));
        studies.requestStop(study.id(), "enough", false);
        StudyLease lease = taker(() -> {
            throw new AssertionError("a live driver of this machine is not waited for");
        });
        StudyBusyException e = assertThrows(StudyBusyException.class, () -> lease.take(study));
        assertEquals("study 'lease' is being driven by pid " + ProcessHandle.current().pid() + " on this machine ("
                + thisMachine() + ") since 2026-11-23T10:00:00Z (3 s ago); it was asked to stop (enough) and ends after "
                + "its running trials; this run leaves it alone", e.getMessage());
        assertEquals("lease", e.study());
        assertEquals(live, studies.lease(study.id()).orElseThrow().driver());
        assertThrows(StudyBusyException.class, () -> lease.awaitFree("lease"));
    }

    @Test
    void aKilledDriverOfThisMachineIsTakenOverAtOnceAndToldOnce() throws Exception {
        String dead = thisMachine() + "-999999999"; // no such process
        studies.claimDriver(study.id(), dead, StudyDriver.DRIVER_STALE);
        clock.advance(Duration.ofSeconds(1));
        StudyLease lease = taker(() -> {
            throw new AssertionError("a dead driver of this machine is not waited for");
        });
        lease.awaitFree("lease");
        assertEquals(dead, studies.lease(study.id()).orElseThrow().driver(), "awaitFree takes nothing");
        lease.take(study);
        assertEquals(Optional.of(new DriverLease("taker-1", clock.instant(), clock.instant())), studies.lease(study.id()));
        assertEquals(List.of("study lease was driven by pid 999999999 on this machine (" + thisMachine() + ") since "
                + "2026-11-23T10:00:00Z (1 s ago), which is no longer running; this run takes over"), notes);
    }

    @Test
    void aDriverElsewhereThatRenewsItsLeaseIsAliveAndTheRunIsRefused() throws Exception {
        studies.claimDriver(study.id(), ELSEWHERE, StudyDriver.DRIVER_STALE);
        clock.advance(Duration.ofSeconds(1));
        int[] pauses = {0};
        StudyLease lease = taker(() -> {
            if (++pauses[0] == 4) {
                assertTrue(studies.claimDriver(study.id(), ELSEWHERE, StudyDriver.DRIVER_STALE), "it renews");
            }
        });
        StudyBusyException e = assertThrows(StudyBusyException.class, () -> lease.take(study));
        assertEquals("study 'lease' is being driven by pid 4242 on host gpu-node-7 since 2026-11-23T10:00:00Z (2 s ago), "
                + "which renewed its lease while this run waited; this run leaves it alone", e.getMessage());
        assertEquals(List.of("study lease is driven by pid 4242 on host gpu-node-7 since 2026-11-23T10:00:00Z (1 s ago), "
                + "lease renewed 1 s ago; waiting up to 14 s: if it renews its lease it is alive and this run exits, if "
                + "the lease runs out it died and this run takes over"), notes);
        assertEquals(ELSEWHERE, studies.lease(study.id()).orElseThrow().driver());
    }

    @Test
    void aDriverElsewhereThatStopsRenewingIsTakenOverWhenItsLeaseRunsOutWithACountdown() throws Exception {
        studies.claimDriver(study.id(), ELSEWHERE, StudyDriver.DRIVER_STALE);
        StudyLease lease = taker(() -> { });
        lease.take(study);
        assertEquals("taker-1", studies.lease(study.id()).orElseThrow().driver());
        assertTrue(clock.instant().isAfter(T0.plus(StudyDriver.DRIVER_STALE)), "taken once the lease ran out");
        assertTrue(clock.instant().isBefore(T0.plus(StudyDriver.DRIVER_STALE).plusSeconds(1)), "and no later");
        assertEquals(List.of(
                "study lease is driven by pid 4242 on host gpu-node-7 since 2026-11-23T10:00:00Z (0 s ago), lease "
                        + "renewed 0 s ago; waiting up to 15 s: if it renews its lease it is alive and this run exits, "
                        + "if the lease runs out it died and this run takes over",
                "    the lease of pid 4242 on host gpu-node-7 runs out in 10 s unless renewed",
                "    the lease of pid 4242 on host gpu-node-7 runs out in 5 s unless renewed",
                "study lease was driven by pid 4242 on host gpu-node-7 since 2026-11-23T10:00:00Z (16 s ago), which last "
                        + "renewed its lease 16 s ago (a live driver renews it every 2 s); this run takes over"), notes);

        // the old driver comes back: it finds its lease taken and stops driving
        assertFalse(studies.claimDriver(study.id(), ELSEWHERE, StudyDriver.DRIVER_STALE));
        StudyLease old = new StudyLease(studies, clock, d -> { }, RunListener.SILENT, ELSEWHERE);
        assertEquals("study 'lease': this run stopped driving it, pid 1 on host taker took it over after this run had not "
                + "renewed its lease for 15 s", old.lost(study).getMessage());
    }

    @Test
    void aLeaseThatRanOutLongAgoIsTakenAtOnce() throws Exception {
        studies.claimDriver(study.id(), ELSEWHERE, StudyDriver.DRIVER_STALE);
        clock.advance(Duration.ofMinutes(5));
        taker(() -> {
            throw new AssertionError("an expired lease is not waited for");
        }).take(study);
        assertEquals("taker-1", studies.lease(study.id()).orElseThrow().driver());
        assertEquals(List.of("study lease was driven by pid 4242 on host gpu-node-7 since 2026-11-23T10:00:00Z (5 min ago), "
                + "which last renewed its lease 5 min ago (a live driver renews it every 2 s); this run takes over"), notes);
    }

    @Test
    void anUnknownStudyIsFree() throws Exception {
        taker(() -> {
            throw new AssertionError("nothing to wait for");
        }).awaitFree("no-such-study");
        assertEquals(List.of(), notes);
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
