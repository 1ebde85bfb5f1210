package dev.thaw.run;

/** Provenance shared by every trial of one run: the data it sees and the software it runs on. */
public record RunEnvironment(String datasetFingerprint, String thawVersion, String dl4jVersion, String javaVersion) {
}
