package dev.thaw.store;

import java.time.Instant;

/**
 * The lease of the one process that drives a study: its name (host and process id, as the run package names its
 * processes), since when it holds the lease, and when it last renewed it (its heartbeat, on its own clock).
 */
public record DriverLease(String driver, Instant since, Instant renewed) {
}
