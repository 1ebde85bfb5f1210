package dev.thaw.store;

import dev.thaw.study.Assignment;

/**
 * What the runner knows about a trial before it runs: its assignment and provenance, and whether it is the scratch
 * baseline (the same architecture from random weights, outside the search).
 */
public record TrialDraft(Assignment assignment, long seed, String datasetFingerprint, String thawVersion,
                         String dl4jVersion, String javaVersion, boolean baseline) {
    /** A trial of the search. */
    public TrialDraft(Assignment assignment, long seed, String datasetFingerprint, String thawVersion,
                      String dl4jVersion, String javaVersion) {
        this(assignment, seed, datasetFingerprint, thawVersion, dl4jVersion, javaVersion, false);
    }
}
