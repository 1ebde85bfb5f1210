package dev.thaw.store;

import java.time.Instant;
import java.util.Optional;

/** A study queued to run once at a time, or on a Quartz cron expression; {@code name} is the study's name. */
public record ScheduleRecord(long id, String name, String specText, Optional<Instant> at, Optional<String> cron,
                             Instant created) {
}
