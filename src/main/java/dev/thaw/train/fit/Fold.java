package dev.thaw.train.fit;

import dev.thaw.train.data.Augmenter;
import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Network;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.StudySpec;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.thaw.train.cache.FeatureCache;
import dev.thaw.train.cache.FeatureTable;
import dev.thaw.train.transfer.FrozenPart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import java.util.function.Consumer;
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
 *
 * <p>Where it is exact, a fold trains on cached frozen features: while its network has a frozen part
 * ({@link FrozenPart}) and the trial has no augmentation, it trains the upper network on the frozen part's outputs
 * from the study's {@link FeatureCache}, and writes the upper network back into the whole one whenever that is asked
 * for ({@link #net()}). The examples' order and ND4J's reseeding are the same either way.
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
    /** The examples' order: a permutation shuffled again every epoch (epoch e's order is its e-th shuffle). */
    private final List<Integer> order;
    private final Random shuffle;
    private final Augmenter augmenter;
    private final Features features;
    private Network net;
    /** While the fold trains on cached frozen features: its upper network and the tables; else null. */
    private Cached cached;
    /** The validation images' class probabilities by the network as it is now; null until asked after a change. */
    private INDArray probabilities;
    private double validationLoss = Double.NaN;

    /** Where a fold gets cached frozen features from, and where it says what it does with them. */
    record Features(FeatureCache cache, BiFunction<String, INDArray, FeatureCache.Images> images,
                    Consumer<String> notes) {
    }

    /** Training on the outputs of the network's frozen part. */
    private record Cached(FrozenPart part, Network upper, FeatureTable train, INDArray[] validation) {
    }

    private Fold(int index, StudySpec spec, TargetData data, TransferBuilder builder, Assignment a, Network source,
                 TargetData.Split split, Features features) {
        this.index = index;
        this.spec = spec;
        this.data = data;
        this.builder = builder;
        this.a = a;
        this.source = source;
        this.split = split;
        this.headEpochs = headEpochs(a, spec.epochs());
        this.examples = split.train().asList();
        this.order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        this.shuffle = new Random(spec.seed() + index);
        this.augmenter = new Augmenter(a.augmentation(), data.channelsLast(), data.valueRange(), spec.seed() + index);
        this.features = features;
    }

    /**
     * Fold {@code index} before its first epoch, its network built from {@code source} (which it keeps for the thaw;
     * no other fold may use it).
     */
    static Fold start(int index, StudySpec spec, TargetData data, TransferBuilder builder, Assignment a,
                      Network source, Features features) {
        Fold fold = new Fold(index, spec, data, builder, a, source, data.splits().get(index), features);
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
                       Network source, Network saved, int epoch, double validationLoss, Features features) {
        Fold fold = new Fold(index, spec, data, builder, a, source, data.splits().get(index), features);
        fold.use(saved);
        fold.validationLoss = validationLoss;
        for (int e = 1; e <= epoch; e++) {
            Collections.shuffle(fold.order, fold.shuffle); // the order's position: the shuffles of epochs 1..e
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

    /**
     * Trains {@code network} from now on: on cached frozen features when the study's cache is on, this trial has no
     * augmentation (its frozen part then sees each image alike in every epoch) and the network has a frozen part;
     * otherwise on the images.
     */
    private void use(Network network) {
        net = network;
        cached = null;
        probabilities = null;
        if (features.cache().enabled() && !augmenter.active()) {
            FrozenPart.of(network).ifPresent(part -> {
                if (!part.frozenFrom(source)) {
                    // the entries are keyed by the source model's fingerprint: only its own frozen layers may use them
                    if (index == 0) {
                        features.notes().accept("frozen features not cached: the frozen layers below "
                                + String.join(" + ", part.boundary()) + " are not the source model's (was its file "
                                + "replaced since this trial paused?); the trial computes them itself");
                    }
                    return;
                }
                Optional<FeatureTable> train = features.cache().outputs(part,
                        features.images().apply(splitName("train"), split.train().getFeatures()), features.notes());
                Optional<FeatureTable> held = train.isEmpty() ? Optional.empty() : features.cache().outputs(part,
                        features.images().apply(splitName("validation"), split.validation().getFeatures()),
                        features.notes());
                if (held.isPresent()) {
                    int[] all = java.util.stream.IntStream.range(0, held.get().count()).toArray();
                    cached = new Cached(part, part.upper(), train.get(), CachedBatches.read(held.get(), all));
                    if (index == 0) {
                        features.notes().accept("trains on cached features below " + String.join(" + ",
                                part.boundary()) + (part.tensors() > 1 ? " (" + part.tensors() + " tensors)" : ""));
                    }
                }
            });
        }
        (cached == null ? net : cached.upper()).setListeners(losses);
    }

    /** The name of a part of this fold's split, as cache entries record it. */
    private String splitName(String part) {
        return data.splits().size() == 1 ? part : "fold " + (index + 1) + " of " + data.splits().size() + " " + part;
    }

    /** Trains epoch {@code epoch}; its mean training loss, or empty when stopped before its first batch. */
    OptionalDouble trainEpoch(int epoch, TrialControl control) throws TrialFailedException {
        if (epoch == headEpochs + 1 && headEpochs > 0) {
            Network thawed = builder.build(source, a, spec.model().hiddenUnits(), data.classes(), spec.seed());
            thawed.setParams(net().params());
            thawed.setEpochCount(headEpochs); // the learning-rate schedule goes on where it was
            use(thawed);
        }
        Collections.shuffle(order, shuffle);
        // ND4J's generator is one per thread (its RandomFactory keeps it in a ThreadLocal; checked for the CPU
        // backend, nd4j-native M2.1, whose setSeed resets the whole native state), so this reseeding makes the
        // epoch's dropout masks depend on (seed, fold, epoch) only and leaves trials on other slots' threads alone.
        Nd4j.getRandom().setSeed(epochSeed(spec.seed(), index, epoch));
        probabilities = null;
        if (cached != null) {
            CachedBatches batches = new CachedBatches(cached.train(), split.train().getLabels(), order, a.batchSize(),
                    control);
            if (cached.upper().isGraph()) {
                cached.upper().graph().fit(batches.asMultiDataSets());
            } else {
                cached.upper().layers().fit(batches.asDataSets());
            }
        } else {
            List<DataSet> ordered = order.stream().map(examples::get).toList();
            List<DataSet> batches = augmenter.active() ? augmenter.epoch(ordered, epoch) : ordered;
            net.fit(new StoppableIterator(new ListDataSetIterator<>(batches, a.batchSize()), control));
        }
        double trainLoss = losses.takeMean();
        if (Double.isNaN(trainLoss) && control.stopReason().isPresent()) {
            return OptionalDouble.empty();
        }
        validationLoss = cached == null ? net.loss(split.validation()) : cachedLoss();
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

    /** The validation loss of the upper network on the cached validation features. */
    private double cachedLoss() {
        INDArray labels = split.validation().getLabels();
        Network upper = cached.upper();
        return upper.isGraph()
                ? upper.graph().score(new org.nd4j.linalg.dataset.MultiDataSet(cached.validation(),
                new INDArray[]{labels}), false)
                : upper.layers().score(new DataSet(cached.validation()[0], labels), false);
    }

    /**
     * The whole network as trained so far (with a cached fold's upper network written into it): the one to save, to
     * checkpoint, to evaluate on other images, or to thaw.
     */
    Network net() {
        if (cached != null) {
            cached.part().write(cached.upper(), net);
        }
        return net;
    }

    /**
     * The class probabilities the network gives each validation image now, [n, classes], in inference mode, computed
     * in batches of {@code batch} images (on the cached features when the fold trains on them).
     */
    INDArray validationProbabilities(int batch) {
        if (probabilities == null) {
            DataSet all = split.validation();
            int n = all.numExamples();
            List<INDArray> parts = new ArrayList<>();
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                parts.add(cached == null ? net.output(all.getFeatures().get(NDArrayIndex.interval(from, to)))
                        : upperOutput(from, to));
            }
            probabilities = Nd4j.vstack(parts.toArray(INDArray[]::new));
        }
        return probabilities;
    }

    private INDArray upperOutput(int from, int to) {
        INDArray[] x = new INDArray[cached.validation().length];
        for (int t = 0; t < x.length; t++) {
            x[t] = cached.validation()[t].get(NDArrayIndex.interval(from, to));
        }
        Network upper = cached.upper();
        return upper.isGraph() ? upper.graph().output(false, x)[0] : upper.layers().output(x[0], false);
    }

    TargetData.Split split() {
        return split;
    }

    /** The validation loss of the last epoch trained (NaN before the first). */
    double validationLoss() {
        return validationLoss;
    }
}
