package dev.thaw.train.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a table's values lie: {@code count} examples of each tensor in {@code shapes}, tensor-major (all of tensor 0,
 * then all of tensor 1, ...), each example's values in C order, 4 bytes a value.
 */
record TableLayout(int count, List<long[]> shapes) {
    /** An example's values must fit one Java array and one memory map: at most 2^29 floats (2 GiB). */
    static final long MAX_EXAMPLE_VALUES = Integer.MAX_VALUE / Float.BYTES;

    TableLayout {
        if (count < 1) {
            throw new IllegalArgumentException("count >= 1 must hold, got " + count);
        }
        if (shapes == null || shapes.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one tensor shape, got " + shapes);
        }
        List<long[]> copies = new ArrayList<>();
        for (int t = 0; t < shapes.size(); t++) {
            long[] shape = shapes.get(t);
            if (shape == null || shape.length == 0) {
                throw new IllegalArgumentException("tensor " + t + " needs a shape of at least one dimension, got "
                        + Arrays.toString(shape));
            }
            long values = 1;
            for (long d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("tensor " + t + "'s dimensions must be >= 1, got "
                            + Arrays.toString(shape));
                }
                values = d > MAX_EXAMPLE_VALUES ? MAX_EXAMPLE_VALUES + 1 : values * d;
                if (values > MAX_EXAMPLE_VALUES) {
                    throw new IllegalArgumentException("tensor " + t + " of shape " + Arrays.toString(shape)
                            + " has more than " + MAX_EXAMPLE_VALUES + " values per example");
                }
            }
            copies.add(shape.clone());
        }
        shapes = List.copyOf(copies);
    }

    int tensors() {
        return shapes.size();
    }

    /** The shapes, copied (a caller may change its arrays). */
    List<long[]> shapeCopies() {
        return shapes.stream().map(long[]::clone).toList();
    }

    /** The values of one example of tensor {@code t}. */
    int exampleValues(int t) {
        long values = 1;
        for (long d : shapes.get(t)) {
            values *= d;
        }
        return (int) values;
    }

    /** The bytes of tensor {@code t} over every example. */
    long tensorBytes(int t) {
        return Math.multiplyExact((long) count * exampleValues(t), Float.BYTES);
    }

    /** Where tensor {@code t} starts, in bytes from the start of the data. */
    long tensorStart(int t) {
        long start = 0;
        for (int i = 0; i < t; i++) {
            start = Math.addExact(start, tensorBytes(i));
        }
        return start;
    }

    /** The bytes of every value of the table. */
    long dataBytes() {
        return tensorStart(tensors());
    }

    /** True when {@code other} has the same count and shapes. */
    boolean sameAs(TableLayout other) {
        if (count != other.count || shapes.size() != other.shapes.size()) {
            return false;
        }
        for (int t = 0; t < shapes.size(); t++) {
            if (!Arrays.equals(shapes.get(t), other.shapes.get(t))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return count + " x " + shapes.stream().map(Arrays::toString).toList();
    }
}
