/**
 * The {@code thaw} command line (picocli) and the composition root: the only place that wires the store, the
 * sampler, the trainer and the runner together. May import every Thaw package; picocli and Logback only here.
 */
package dev.thaw.cli;
