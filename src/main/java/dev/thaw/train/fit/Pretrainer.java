package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.BuiltinCnn;
import dev.thaw.train.source.Network;

import dev.thaw.study.DataSpec;
import dev.thaw.study.MetricPoint;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the {@link BuiltinCnn} on a source task (by default Fashion-MNIST classes 0-4) and saves it as a
 * ModelSerializer zip, to serve as a study's pretrained source model.
 */
public final class Pretrainer {

    /** Trains for {@code epochs} epochs, telling {@code progress} after each, and writes the model to {@code out}. */
    public double pretrain(DataSpec data, int epochs, long seed, Path out, Consumer<MetricPoint> progress) throws IOException {
        TargetData target = TargetData.load(data, seed);
        MultiLayerNetwork cnn = BuiltinCnn.create(data.imageSize(), target.classes(), seed);
        Network net = new Network(cnn);
        LossTracker losses = new LossTracker();
        net.setListeners(losses);
        List<DataSet> examples = new ArrayList<>(target.train().asList());
        List<DataSet> validation = target.validation().asList();
        Random order = new Random(seed);
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Collections.shuffle(examples, order);
            net.fit(new ListDataSetIterator<>(examples, 64));
            accuracy = net.evaluate(new ListDataSetIterator<>(validation, 256)).accuracy();
            progress.accept(new MetricPoint(epoch, losses.takeMean(), net.loss(target.validation()), accuracy, accuracy));
        }
        net.save(out);
        return accuracy;
    }
}
