package dev.thaw.train.fit;

import dev.thaw.train.data.Augmenter;
import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Network;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.StudySpec;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * One split's run of a trial: its network, the order of its training examples, its augmenter and its last validation
 * loss. With {@code head_epochs} h and {@code unfreeze_depth} k > 0: h epochs with the backbone frozen, then the thaw —
 * the network with k blocks thawed takes over every weight trained so far — for the remaining epochs.
 *
 * <p>Everything random in an epoch comes from the study seed, the fold and the epoch alone: fold f shuffles its
 * examples with one generator seeded by the study seed + f (epoch e's order is its e-th shuffle), the augmenter draws
 * from the study seed + f and the epoch, and ND4J's generator (dropout's masks) is reseeded at the start of every
 * epoch. So a fold resumed after epoch e from its network and updater state trains epoch e+1 exactly as it would have
 * without the pause. Not thread-safe: one trial's thread uses it.
 */
final class Fold {
    private final int index;
    private final StudySpec spec;
    private final TargetData data;
    private final TransferBuilder builder;
    private final Assignment a;
    private final Network source;
    private final TargetData.Split split;
    private final int headEpochs;
    private final LossTracker losses = new LossTracker();
    private final List<DataSet> examples;
    private final List<DataSet> validation;
    private final Random order;
    private final Augmenter augmenter;
    private Network net;
    private double validationLoss = Double.NaN;

    private Fold(int index, StudySpec spec, TargetData data, TransferBuilder builder, Assignment a, Network source,
                 TargetData.Split split) {
        this.index = index;
        this.spec = spec;
        this.data = data;
        this.builder = builder;
        this.a = a;
        this.source = source;
        this.split = split;
        this.headEpochs = headEpochs(a, spec.epochs());
        this.examples = new ArrayList<>(split.train().asList());
        this.validation = split.validation().asList();
        this.order = new Random(spec.seed() + index);
        this.augmenter = new Augmenter(a.augmentation(), data.channelsLast(), data.valueRange(), spec.seed() + index);
    }

    /**
     * Fold {@code index} before its first epoch, its network built from {@code source} (which it keeps for the thaw;
     * no other fold may use it).
     */
    static Fold start(int index, StudySpec spec, TargetData data, TransferBuilder builder, Assignment a,
                      Network source) {
        Fold fold = new Fold(index, spec, data, builder, a, source, data.splits().get(index));
        int hidden = spec.model().hiddenUnits();
        fold.use(fold.headEpochs > 0
                ? builder.buildHeadOnly(source.copy(), a, hidden, data.classes(), spec.seed())
                : builder.build(source, a, hidden, data.classes(), spec.seed()));
        return fold;
    }

    /**
     * Fold {@code index} as it was after epoch {@code epoch}: {@code saved} is its network then (with its updater state
     * and epoch count), {@code validationLoss} that epoch's validation loss. {@code source} is used only for a thaw
     * still to come.
     */
    static Fold resume(int index, StudySpec spec, TargetData data, TransferBuilder builder, Assignment a,
                       Network source, Network saved, int epoch, double validationLoss) {
        Fold fold = new Fold(index, spec, data, builder, a, source, data.splits().get(index));
        fold.use(saved);
        fold.validationLoss = validationLoss;
        for (int e = 1; e <= epoch; e++) {
            Collections.shuffle(fold.examples, fold.order); // the order's position: the shuffles of epochs 1..e
        }
        return fold;
    }

    /** Whether a trial of {@code a} trains the head alone (backbone frozen) in epoch {@code epoch}, counted from 1. */
    static boolean headOnly(Assignment a, int epochs, int epoch) {
        return epoch <= headEpochs(a, epochs);
    }

    private static int headEpochs(Assignment a, int epochs) {
        return a.unfreezeDepth() > 0 ? Math.min(a.headEpochs(), epochs) : 0;
    }

    private void use(Network network) {
        net = network;
        net.setListeners(losses);
    }

    /** Trains epoch {@code epoch}; its mean training loss, or empty when stopped before its first batch. */
    OptionalDouble trainEpoch(int epoch, TrialControl control) throws TrialFailedException {
        if (epoch == headEpochs + 1 && headEpochs > 0) {
            Network thawed = builder.build(source, a, spec.model().hiddenUnits(), data.classes(), spec.seed());
            thawed.setParams(net.params());
            thawed.setEpochCount(headEpochs); // the learning-rate schedule goes on where it was
            use(thawed);
        }
        Collections.shuffle(examples, order);
        List<DataSet> batches = augmenter.active() ? augmenter.epoch(examples, epoch) : examples;
        // ND4J's generator is one per thread (its RandomFactory keeps it in a ThreadLocal; checked for the CPU
        // backend, nd4j-native M2.1, whose setSeed resets the whole native state), so this reseeding makes the
        // epoch's dropout masks depend on (seed, fold, epoch) only and leaves trials on other slots' threads alone.
        Nd4j.getRandom().setSeed(epochSeed(spec.seed(), index, epoch));
        net.fit(new StoppableIterator(new ListDataSetIterator<>(batches, a.batchSize()), control));
        double trainLoss = losses.takeMean();
        if (Double.isNaN(trainLoss) && control.stopReason().isPresent()) {
            return OptionalDouble.empty();
        }
        validationLoss = net.loss(split.validation());
        if (!Double.isFinite(trainLoss) || !Double.isFinite(validationLoss)) {
            throw new TrialFailedException(String.format(Locale.ROOT,
                    "diverged: loss is not finite at epoch %d (train %s, validation %s); lower learning_rate",
                    epoch, trainLoss, validationLoss));
        }
        return OptionalDouble.of(trainLoss);
    }

    /** The seed of ND4J's generator for fold {@code fold}'s epoch {@code epoch}: SplitMix64's finaliser, chained. */
    static long epochSeed(long seed, int fold, int epoch) {
        return mix(mix(mix(seed) + fold) + epoch);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    Network net() {
        return net;
    }

    TargetData.Split split() {
        return split;
    }

    List<DataSet> validation() {
        return validation;
    }

    /** The validation loss of the last epoch trained (NaN before the first). */
    double validationLoss() {
        return validationLoss;
    }
}
