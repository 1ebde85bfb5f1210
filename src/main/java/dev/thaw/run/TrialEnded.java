package dev.thaw.run;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the study driver as soon as a trial on this node ends, instead of at its next poll; trials on other nodes are
 * still seen at the poll. Shared by the node's {@link TrialExecutor} (signals) and its drivers (wait).
 */
public final class TrialEnded {
    private final Semaphore ended = new Semaphore(0);

    void signal() {
        ended.release();
    }

    /** Waits until a trial ends here or {@code timeout} passes, whichever is first. */
    void await(Duration timeout) throws InterruptedException {
        if (ended.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            ended.drainPermits();
        }
    }
}
