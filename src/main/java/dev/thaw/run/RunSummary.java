package dev.thaw.run;

import dev.thaw.store.TrialRecord;
import dev.thaw.study.StudyStatus;

import java.util.Optional;

/** How a run of a study ended: its status and why, how many trials it holds, and the best one. */
public record RunSummary(long studyId, String study, StudyStatus status, String why, int trials,
                         Optional<TrialRecord> best) {
}
