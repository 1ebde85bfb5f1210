package dev.thaw.train.cache;

import java.util.List;

/**
 * A table of {@link #count()} examples, each with one or more tensors (a graph's boundary can be several), values
 * float32 in C order. Read-only and safe to read from several threads at once.
 */
public interface FeatureTable {
    /** The number of examples. */
    int count();

    /** The shape of each tensor of one example, without the example dimension; one entry per tensor. */
    List<long[]> shapes();

    /**
     * Copies the values of tensor {@code tensor} of example {@code example} (as many as its shape's product) into
     * {@code into} from {@code offset} on.
     *
     * @throws IndexOutOfBoundsException for a tensor or example outside the table, or too small an array
     */
    void read(int tensor, int example, float[] into, int offset);
}
