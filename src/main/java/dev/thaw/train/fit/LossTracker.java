package dev.thaw.train.fit;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/** Averages the minibatch training loss DL4J reports during one epoch. */
final class LossTracker extends BaseTrainingListener {
    private double sum;
    private int count;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        sum += model.score();
        count++;
    }

    /** The mean loss since the last call (NaN when no minibatch ran), and starts a new epoch. */
    double takeMean() {
        double mean = count == 0 ? Double.NaN : sum / count;
        sum = 0;
        count = 0;
        return mean;
    }
}
