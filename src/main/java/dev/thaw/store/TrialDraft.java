package dev.thaw.store;

import dev.thaw.study.Assignment;

/** What the runner knows about a trial before it runs: its assignment and provenance. */
public record TrialDraft(Assignment assignment, long seed, String datasetFingerprint, String thawVersion,
                         String dl4jVersion, String javaVersion) {
}
