package dev.thaw.train.fit;

import dev.thaw.train.cache.FeatureTable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * One epoch's minibatches of cached frozen features: the examples in {@code order}, {@code batchSize} at a time (the
 * last may be smaller), each batch's tensors read from the table as it is needed (a table on disk is never read whole)
 * with the matching rows of {@code labels}. It ends early, at a batch boundary, once the trial is asked to stop. Read
 * on the trial's thread only (no prefetching thread).
 */
final class CachedBatches {
    private final FeatureTable table;
    private final INDArray labels;
    private final List<Integer> order;
    private final int batchSize;
    private final TrialControl control;
    private int next;

    CachedBatches(FeatureTable table, INDArray labels, List<Integer> order, int batchSize, TrialControl control) {
        this.table = table;
        this.labels = labels;
        this.order = List.copyOf(order);
        this.batchSize = batchSize;
        this.control = control;
    }

    boolean hasNext() {
        return next < order.size() && control.stopReason().isEmpty();
    }

    /** The next batch: one [b, ...] array per tensor, and the labels [b, classes]. */
    Batch nextBatch() {
        int to = Math.min(order.size(), next + batchSize);
        int[] rows = order.subList(next, to).stream().mapToInt(Integer::intValue).toArray();
        next = to;
        return new Batch(read(table, rows), labels.getRows(rows));
    }

    /** Rows {@code rows} of every tensor of {@code table}, as arrays [rows.length, ...]. */
    static INDArray[] read(FeatureTable table, int[] rows) {
        List<long[]> shapes = table.shapes();
        INDArray[] out = new INDArray[shapes.size()];
        for (int t = 0; t < out.length; t++) {
            long[] shape = shapes.get(t);
            int per = 1;
            for (long s : shape) {
                per *= (int) s;
            }
            float[] values = new float[rows.length * per];
            for (int i = 0; i < rows.length; i++) {
                table.read(t, rows[i], values, i * per);
            }
            long[] batch = new long[shape.length + 1];
            batch[0] = rows.length;
            System.arraycopy(shape, 0, batch, 1, shape.length);
            out[t] = Nd4j.create(values, batch, 'c');
        }
        return out;
    }

    record Batch(INDArray[] features, INDArray labels) {
    }

    /** The batches for a layer stack (one tensor). */
    DataSetIterator asDataSets() {
        return new DataSetIterator() {
            @Override
            public boolean hasNext() {
                return CachedBatches.this.hasNext();
            }

            @Override
            public DataSet next() {
                Batch b = nextBatch();
                return new DataSet(b.features()[0], b.labels());
            }

            @Override
            public DataSet next(int num) {
                return next();
            }

            @Override
            public int inputColumns() {
                return -1;
            }

            @Override
            public int totalOutcomes() {
                return (int) labels.size(1);
            }

            @Override
            public boolean resetSupported() {
                return false;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                throw new UnsupportedOperationException("one epoch's batches are read once");
            }

            @Override
            public int batch() {
                return batchSize;
            }

            @Override
            public void setPreProcessor(DataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException("cached features are not preprocessed again");
            }

            @Override
            public DataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public List<String> getLabels() {
                return null;
            }
        };
    }

    /** The batches for a graph (one input per tensor crossing its boundary). */
    MultiDataSetIterator asMultiDataSets() {
        return new MultiDataSetIterator() {
            @Override
            public boolean hasNext() {
                return CachedBatches.this.hasNext();
            }

            @Override
            public MultiDataSet next() {
                Batch b = nextBatch();
                return new org.nd4j.linalg.dataset.MultiDataSet(b.features(), new INDArray[]{b.labels()});
            }

            @Override
            public MultiDataSet next(int num) {
                return next();
            }

            @Override
            public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException("cached features are not preprocessed again");
            }

            @Override
            public MultiDataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public boolean resetSupported() {
                return false;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                throw new UnsupportedOperationException("one epoch's batches are read once");
            }
        };
    }
}
