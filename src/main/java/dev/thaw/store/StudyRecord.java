package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;

import java.time.Instant;

/** A stored study: its name, the study file it was last run with, how trials are ranked, its budget and status. */
public record StudyRecord(long id, String name, String specText, String specHash, Metric metric, Direction direction,
                          int budget, StudyStatus status, Instant created, Instant updated) {
}
