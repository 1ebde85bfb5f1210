/**
 * One trial's training, the only part of Thaw importing DL4J/ND4J, in sub-packages that depend one way:
 * {@code data} (target images) ← {@code source} (source models and their blocks) ← {@code transfer} (the new head and
 * the freeze boundary) ← {@code cache} (the frozen-feature cache) ← {@code fit} (the epoch loop, evaluation,
 * checkpoints; the trainer API the runner calls). This package holds the environment check run before a study.
 */
package dev.thaw.train;
