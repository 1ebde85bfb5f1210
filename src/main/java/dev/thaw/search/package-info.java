/**
 * Turning a study's space into candidates: Arbiter parameter spaces built from the spec and Arbiter's random, grid
 * and genetic candidate generators behind the small {@link dev.thaw.search.Sampler} interface.
 * Imports {@code dev.thaw.study} and Arbiter only.
 */
package dev.thaw.search;
