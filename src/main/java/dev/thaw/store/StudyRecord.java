package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored study: its name, the study file it was last run with, how trials are ranked, its budget, how many trials
 * may run at once, its status, and a pending stop request (with {@code stopNow}: running trials stop too).
 */
public record StudyRecord(long id, String name, String specText, String specHash, Metric metric, Direction direction,
                          int budget, int slots, StudyStatus status, Optional<String> stopRequest, boolean stopNow,
                          Instant created, Instant updated) {
}
