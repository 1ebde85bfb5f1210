package dev.thaw.train;

import dev.thaw.study.Assignment;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.Misclassification;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialState;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * Fine-tunes the study's source model with DL4J: loads it afresh for every trial, puts the new head on, freezes
 * the backbone below the unfreeze boundary, fits epoch by epoch and evaluates. Every trial of a study uses the
 * study seed for the head's initialisation and the minibatch order, so trials differ only by their hyperparameters.
 */
public final class Dl4jTrialTrainer implements TrialTrainer {
    private static final int EVAL_BATCH = 256;
    /** How many of a trial's most confident mistakes are kept. */
    static final int KEPT_MISTAKES = 20;

    private final StudySpec spec;
    private final TargetData data;
    private final TransferBuilder builder;

    /** The source model, loaded at most once for every trial this trainer runs. */
    private SourceModel loaded;

    /** A trainer that loads the source model when its first trial starts (a model that will not load fails it). */
    public Dl4jTrialTrainer(StudySpec spec, TargetData data) {
        this.spec = spec;
        this.data = data;
        this.builder = new TransferBuilder(spec.epochs());
    }

    /** A trainer on a source model already loaded (by the environment check): no trial loads it again. */
    public Dl4jTrialTrainer(StudySpec spec, TargetData data, SourceModel source) {
        this(spec, data);
        this.loaded = source;
    }

    @Override
    public TrialOutcome train(Assignment assignment, TrialControl control) throws TrialFailedException {
        return guarded(source(), assignment, control);
    }

    @Override
    public TrialOutcome trainFromScratch(Assignment assignment, TrialControl control) throws TrialFailedException {
        Network random = source().reinitialized();
        int everything = Backbone.of(random).blocks().size();
        Assignment scratch = assignment.with(Hyperparameter.UNFREEZE_DEPTH, everything)
                .with(Hyperparameter.HEAD_EPOCHS, 0);
        return guarded(random, scratch, control);
    }

    private Network source() throws TrialFailedException {
        try {
            synchronized (this) {
                if (loaded == null) {
                    loaded = SourceModel.load(spec);
                }
            }
            return loaded.fresh();
        } catch (IOException | RuntimeException e) {
            throw new TrialFailedException("cannot load the source model " + spec.model().describe() + ": " + oneLine(e), e);
        }
    }

    /** Fits, turning what DL4J throws into a one-line failure. */
    private TrialOutcome guarded(Network source, Assignment a, TrialControl control) throws TrialFailedException {
        try {
            return fit(source, a, control);
        } catch (IllegalArgumentException e) {
            throw new TrialFailedException(oneLine(e), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new TrialFailedException("training failed: " + oneLine(e), e);
        }
    }

    /**
     * Trains on the held-out split, or on k folds in step (each epoch once per fold, reported as the folds' mean),
     * then evaluates: the report (summed over folds), the most confident mistakes, and the test split by the first
     * fold's model, which is the one kept.
     */
    private TrialOutcome fit(Network source, Assignment a, TrialControl control) throws TrialFailedException {
        List<TargetData.Split> splits = data.splits();
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < splits.size(); f++) {
            // every fold starts from its own copy of the source: training one must not move another's weights
            folds.add(new Fold(f == 0 ? source : source.copy(), splits.get(f), a, f));
        }
        int epoch = 0;
        PruneDecision decision = PruneDecision.CONTINUE;
        while (epoch < spec.epochs() && control.stopReason().isEmpty()
                && decision.action() == PruneDecision.Action.CONTINUE) {
            epoch++;
            double trainLoss = 0;
            double validationLoss = 0;
            double accuracy = 0;
            double objective = 0;
            boolean stopped = false;
            for (Fold fold : folds) {
                OptionalDouble loss = fold.trainEpoch(epoch, control);
                if (loss.isEmpty()) {
                    stopped = true;
                    break;
                }
                ClassificationReport epochReport = report(fold.net.evaluate(
                        new ListDataSetIterator<>(fold.validation, EVAL_BATCH)));
                trainLoss += loss.getAsDouble() / folds.size();
                validationLoss += fold.validationLoss / folds.size();
                accuracy += epochReport.accuracy() / folds.size();
                objective += spec.metric().ofEpoch(epochReport, fold.validationLoss) / folds.size();
            }
            if (stopped) {
                epoch--; // stopped before this epoch's first batch
                break;
            }
            decision = control.epochFinished(new MetricPoint(epoch, trainLoss, validationLoss, accuracy, objective));
            if (decision.action() == PruneDecision.Action.PAUSE) {
                throw new TrialFailedException("pausing a trial is not built yet");
            }
        }
        List<ClassificationReport> reports = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Misclassification> wrong = new ArrayList<>();
        for (Fold fold : folds) {
            reports.add(report(fold.net.evaluate(new ListDataSetIterator<>(fold.validation, EVAL_BATCH))));
            losses.add(fold.validationLoss);
            wrong.addAll(misclassified(fold.net, fold.split));
        }
        wrong.sort(Comparator.comparingDouble(Misclassification::confidence).reversed());
        List<Misclassification> worst = List.copyOf(wrong.subList(0, Math.min(KEPT_MISTAKES, wrong.size())));
        Network kept = folds.get(0).net;
        Optional<ClassificationReport> testReport = data.test()
                .map(t -> report(kept.evaluate(new ListDataSetIterator<>(t.asList(), EVAL_BATCH))));
        TrialResult result = folds.size() == 1
                ? new TrialResult(reports.get(0), losses.get(0), testReport, epoch, List.of(), List.of(), worst)
                : new TrialResult(ClassificationReport.summed(reports), losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                testReport, epoch, reports, losses, worst);
        Optional<String> stop = control.stopReason();
        if (stop.isPresent()) {
            return new TrialOutcome.Finished(result, kept, TrialState.STOPPED, stop);
        }
        if (decision.action() == PruneDecision.Action.PRUNE) {
            return new TrialOutcome.Finished(result, kept, TrialState.PRUNED, Optional.of(decision.reason()));
        }
        return new TrialOutcome.Finished(result, kept, TrialState.COMPLETE, Optional.empty());
    }

    /**
     * One split's run of a trial. With {@code head_epochs} h and {@code unfreeze_depth} k > 0: h epochs with the
     * backbone frozen, then the thaw — the network with k blocks thawed takes over every weight trained so far — for
     * the remaining epochs. Fold f draws its batch order and augmentation from the study seed + f.
     */
    private final class Fold {
        private final Network source;
        private final TargetData.Split split;
        private final Assignment a;
        private final int headEpochs;
        private final LossTracker losses = new LossTracker();
        private final List<DataSet> examples;
        private final List<DataSet> validation;
        private final Random order;
        private final Augmenter augmenter;
        private Network net;
        private double validationLoss = Double.NaN;

        Fold(Network source, TargetData.Split split, Assignment a, int index) {
            this.source = source;
            this.split = split;
            this.a = a;
            this.headEpochs = a.unfreezeDepth() > 0 ? Math.min(a.headEpochs(), spec.epochs()) : 0;
            int hidden = spec.model().hiddenUnits();
            this.net = headEpochs > 0
                    ? builder.buildHeadOnly(source.copy(), a, hidden, data.classes(), spec.seed())
                    : builder.build(source, a, hidden, data.classes(), spec.seed());
            net.setListeners(losses);
            this.examples = new ArrayList<>(split.train().asList());
            this.validation = split.validation().asList();
            this.order = new Random(spec.seed() + index);
            this.augmenter = new Augmenter(a.augmentation(), data.channelsLast(), data.valueRange(), spec.seed() + index);
        }

        /** Trains epoch {@code epoch}; its mean training loss, or empty when stopped before its first batch. */
        OptionalDouble trainEpoch(int epoch, TrialControl control) throws TrialFailedException {
            if (epoch == headEpochs + 1 && headEpochs > 0) {
                Network thawed = builder.build(source, a, spec.model().hiddenUnits(), data.classes(), spec.seed());
                thawed.setParams(net.params());
                thawed.setEpochCount(headEpochs); // the learning-rate schedule goes on where it was
                net = thawed;
                net.setListeners(losses);
            }
            Collections.shuffle(examples, order);
            List<DataSet> batches = augmenter.active() ? augmenter.epoch(examples, epoch) : examples;
            net.fit(new StoppableIterator(new ListDataSetIterator<>(batches, a.batchSize()), control));
            double trainLoss = losses.takeMean();
            if (Double.isNaN(trainLoss) && control.stopReason().isPresent()) {
                return OptionalDouble.empty();
            }
            validationLoss = net.loss(split.validation());
            if (!Double.isFinite(trainLoss) || !Double.isFinite(validationLoss)) {
                throw new TrialFailedException(String.format(java.util.Locale.ROOT,
                        "diverged: loss is not finite at epoch %d (train %s, validation %s); lower learning_rate",
                        epoch, trainLoss, validationLoss));
            }
            return OptionalDouble.of(trainLoss);
        }
    }

    /** The validation images {@code net} gets wrong, with the probability it gave the wrong class. */
    private List<Misclassification> misclassified(Network net, TargetData.Split split) {
        List<Misclassification> out = new ArrayList<>();
        DataSet all = split.validation();
        List<Integer> labels = spec.data().classes();
        for (int from = 0; from < all.numExamples(); from += EVAL_BATCH) {
            int to = Math.min(all.numExamples(), from + EVAL_BATCH);
            org.nd4j.linalg.dataset.api.DataSet batch = all.getRange(from, to);
            INDArray probabilities = net.output(batch.getFeatures());
            INDArray predicted = probabilities.argMax(1);
            INDArray actual = batch.getLabels().argMax(1);
            for (int i = 0; i < to - from; i++) {
                int p = predicted.getInt(i);
                int t = actual.getInt(i);
                if (p != t) {
                    out.add(new Misclassification(split.validationIds().get(from + i), labels.get(t), labels.get(p),
                            probabilities.getDouble(i, p)));
                }
            }
        }
        return out;
    }

    /** The report of one evaluation: scores come from its confusion matrix alone (see ClassificationReport). */
    private ClassificationReport report(Evaluation eval) {
        int k = data.classes();
        int[][] confusion = new int[k][k];
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                confusion[actual][predicted] = eval.getConfusionMatrix().getCount(actual, predicted);
            }
        }
        return new ClassificationReport(spec.data().classes(), confusion);
    }

    /** The DL4J version on the classpath, for provenance. */
    public static String dl4jVersion() {
        try (var in = org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.lines().findFirst().orElse(msg).trim();
    }
}
