package dev.thaw.train.cache;

import java.io.IOException;

/**
 * Computes a table that the cache does not hold yet: called at most once per missing entry across this machine's
 * threads and processes, on the thread that asked for it, while the entry's lock is held. It must write every example
 * of every tensor; a builder that throws leaves no entry behind. It may not ask the cache for the entry it builds.
 */
@FunctionalInterface
public interface TableBuilder {
    void build(TableWriter out) throws IOException;
}
