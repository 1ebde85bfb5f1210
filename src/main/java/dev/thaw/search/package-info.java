/**
 * Turning a study's space into candidates behind the small {@link dev.thaw.search.Sampler} interface: Arbiter's
 * random, grid and genetic candidate generators over Arbiter parameter spaces built from the spec, and Thaw's own
 * Tree-structured Parzen Estimator ({@code TpeSampler}, with its Parzen estimators and truncated-normal arithmetic);
 * and the pruners behind the one-method {@link dev.thaw.search.Pruner} (median, ASHA, Hyperband, none), which decide
 * from the history after each epoch whether a trial goes on. Imports {@code dev.thaw.study} and Arbiter only.
 */
package dev.thaw.search;
