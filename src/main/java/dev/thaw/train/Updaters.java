package dev.thaw.train;

import dev.thaw.study.Optimizer;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Maps a study's optimizer name, learning rate and momentum to a DL4J updater. Momentum is nesterovs' (plain sgd has
 * none in DL4J); AdaDelta has no learning rate.
 */
final class Updaters {
    private Updaters() {
    }

    static IUpdater of(Optimizer optimizer, double learningRate, double momentum) {
        return switch (optimizer) {
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, momentum);
            case ADAM -> new Adam(learningRate);
            case RMSPROP -> new RmsProp(learningRate);
            case ADAMAX -> new AdaMax(learningRate);
            case ADAGRAD -> new AdaGrad(learningRate);
            case ADADELTA -> new AdaDelta();
            case NADAM -> new Nadam(learningRate);
            case AMSGRAD -> new AMSGrad(learningRate);
        };
    }
}
