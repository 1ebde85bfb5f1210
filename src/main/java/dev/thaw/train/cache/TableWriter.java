package dev.thaw.train.cache;

/**
 * What a {@link TableBuilder} fills: every example of every tensor at least once (a later put overwrites an earlier
 * one), in any order.
 */
public interface TableWriter {
    /**
     * Writes the values of consecutive examples of one tensor, from {@code firstExample} on: {@code values.length}
     * must be a whole number of examples (the tensor's shape's product each), in C order. Safe to call from several
     * threads.
     *
     * @throws IllegalArgumentException      for a tensor outside the table, examples past its count or a length that
     *                                       is not whole examples
     * @throws java.io.UncheckedIOException when the disk refuses the values (the cache reports its cause)
     */
    void put(int tensor, int firstExample, float[] values);
}
