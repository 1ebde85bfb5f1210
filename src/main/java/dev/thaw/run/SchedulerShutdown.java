package dev.thaw.run;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import java.time.Duration;

/**
 * Stops a Quartz scheduler, waiting for the jobs running on this node, but not forever: Quartz's own shutdown waits
 * for its scheduler thread, which keeps retrying while the database fails. What is still running after the wait is
 * left to the cluster's recovery.
 */
final class SchedulerShutdown {
    static final Duration WAIT = Duration.ofSeconds(30);

    private SchedulerShutdown() {
    }

    static void stop(Scheduler scheduler, String what) {
        Thread stopper = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                System.err.println("warning: cannot stop the " + what + ": " + e.getMessage());
            }
        }, "thaw-stop-" + what.replace(' ', '-'));
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            System.err.println("warning: the " + what + " did not stop within " + WAIT.toSeconds()
                    + " s; exiting anyway (work it still held is recovered by the cluster)");
        }
    }
}
