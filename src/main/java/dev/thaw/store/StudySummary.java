package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;

import java.time.Instant;
import java.util.Optional;

/** A study at a glance: status, finished and running trials against its budget, best score, when it started. */
public record StudySummary(long id, String name, StudyStatus status, Metric metric, Direction direction, int budget,
                           int finished, int running, Optional<Double> best, Instant created, Instant updated) {
}
