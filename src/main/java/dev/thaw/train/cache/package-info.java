/**
 * The frozen-feature cache: tables of boundary activations (float32, one row per image) kept on the heap within a
 * budget and on disk as memory-mapped entry files, built once per key across threads and processes, evicted least
 * recently used first. Imports only the JDK: what a table holds is decided by its callers in {@code dev.thaw.train}.
 */
package dev.thaw.train.cache;
