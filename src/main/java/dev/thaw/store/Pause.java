package dev.thaw.store;

import java.time.Instant;
import java.util.Optional;

/** One pause of a trial: the rung epoch it paused after, the pruner's reason, when, and when it thawed (if it did). */
public record Pause(int epoch, String reason, Instant pausedAt, Optional<Instant> thawedAt) {
}
