package dev.thaw.train.cache;

import java.util.List;

/** A table held on the heap: one float array per tensor, examples one after the other. */
final class HeapTable implements FeatureTable {
    private final TableLayout layout;
    private final float[][] values;

    private HeapTable(TableLayout layout, float[][] values) {
        this.layout = layout;
        this.values = values;
    }

    /**
     * A copy of {@code table} on the heap.
     *
     * @throws IllegalArgumentException when a tensor has more values than a Java array holds
     */
    static HeapTable copy(FeatureTable table, TableLayout layout) {
        float[][] values = new float[layout.tensors()][];
        for (int t = 0; t < values.length; t++) {
            long n = (long) layout.count() * layout.exampleValues(t);
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor " + t + " has " + n + " values, more than an array holds");
            }
            values[t] = new float[(int) n];
            int per = layout.exampleValues(t);
            for (int e = 0; e < layout.count(); e++) {
                table.read(t, e, values[t], e * per);
            }
        }
        return new HeapTable(layout, values);
    }

    /** True when {@link #copy} can hold a table of this layout (each tensor fits one array). */
    static boolean fits(TableLayout layout) {
        for (int t = 0; t < layout.tensors(); t++) {
            if ((long) layout.count() * layout.exampleValues(t) > Integer.MAX_VALUE - 8) {
                return false;
            }
        }
        return true;
    }

    TableLayout layout() {
        return layout;
    }

    @Override
    public int count() {
        return layout.count();
    }

    @Override
    public List<long[]> shapes() {
        return layout.shapeCopies();
    }

    @Override
    public void read(int tensor, int example, float[] into, int offset) {
        java.util.Objects.checkIndex(example, layout.count());
        int per = layout.exampleValues(tensor);
        System.arraycopy(values[tensor], example * per, into, offset, per);
    }
}
