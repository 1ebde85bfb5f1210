package dev.thaw.train.fit;

import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/** A minibatch iterator that ends early, at a batch boundary, once its trial is asked to stop. */
final class StoppableIterator implements DataSetIterator {
    private final DataSetIterator delegate;
    private final TrialControl control;

    StoppableIterator(DataSetIterator delegate, TrialControl control) {
        this.delegate = delegate;
        this.control = control;
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext() && control.stopReason().isEmpty();
    }

    @Override
    public org.nd4j.linalg.dataset.DataSet next() {
        return delegate.next();
    }

    @Override
    public org.nd4j.linalg.dataset.DataSet next(int num) {
        return delegate.next(num);
    }

    @Override
    public int inputColumns() {
        return delegate.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return delegate.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return delegate.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public int batch() {
        return delegate.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        delegate.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return delegate.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return delegate.getLabels();
    }
}
