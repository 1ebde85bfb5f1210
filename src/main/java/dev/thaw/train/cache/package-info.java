/**
 * The frozen-feature cache: tables of boundary activations (float32, one row per image) kept on the heap within a
 * budget and on disk as memory-mapped entry files, built once per key across threads and processes, evicted least
 * recently used first ({@code FeatureStore} and its tables use only the JDK), and {@code FeatureCache}, which fills
 * them with the outputs of a trial network's frozen part ({@code train.transfer.FrozenPart}) under a key of everything
 * they depend on.
 * Its one static, the in-process registry of key locks ({@code KeyLock}), is there because file
 * locks belong to the whole JVM.
 */
package dev.thaw.train.cache;
