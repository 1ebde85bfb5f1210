/**
 * The frozen-feature cache: tables of boundary activations (float32, one row per image) kept on the heap within a
 * budget and on disk as memory-mapped entry files, built once per key across threads and processes, evicted least
 * recently used first. Imports only the JDK: what a table holds is decided by its callers in {@code dev.thaw.train}.
 * Its one static, the in-process registry of key locks ({@code KeyLock}), is there because file
 * locks belong to the whole JVM.
 */
package dev.thaw.train.cache;
