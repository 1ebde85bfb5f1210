package dev.thaw.train.transfer;

import dev.thaw.study.LrSchedule;
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
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps a study's optimizer name, learning rate, schedule and momentum to a DL4J updater. A schedule other than
 * {@code none} becomes DL4J's per-epoch {@link MapSchedule} of the rate at each of the trial's epochs. Momentum is
 * nesterovs' (plain sgd has none in DL4J); AdaDelta has no learning rate, so no schedule either.
 */
final class Updaters {
    private Updaters() {
    }

    static IUpdater of(Optimizer optimizer, double learningRate, LrSchedule schedule, int epochs, double momentum) {
        if (schedule == LrSchedule.NONE) {
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
        ISchedule rates = schedule(learningRate, schedule, epochs);
        return switch (optimizer) {
            case SGD -> new Sgd(rates);
            case NESTEROVS -> new Nesterovs(rates, momentum);
            case ADAM -> new Adam(rates);
            case RMSPROP -> new RmsProp(rates);
            case ADAMAX -> new AdaMax(rates);
            case ADAGRAD -> new AdaGrad(rates);
            case ADADELTA -> new AdaDelta();
            case NADAM -> new Nadam(rates);
            case AMSGRAD -> new AMSGrad(rates);
        };
    }

    private static ISchedule schedule(double learningRate, LrSchedule schedule, int epochs) {
        Map<Integer, Double> rates = new HashMap<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            rates.put(epoch, learningRate * schedule.factor(epoch, epochs));
        }
        return new MapSchedule(ScheduleType.EPOCH, rates);
    }
}
