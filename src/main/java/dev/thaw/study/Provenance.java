package dev.thaw.study;

/** What made a result: seeds, the data it saw, the software versions, and which trial scored what. */
public record Provenance(String study, int trial, double score, String metric, long seed,
                         String datasetFingerprint, String thawVersion, String dl4jVersion, String javaVersion) {
}
