package dev.thaw.train.fit;

import dev.thaw.train.data.TargetData;
import dev.thaw.train.source.Backbone;
import dev.thaw.train.source.Network;
import dev.thaw.train.source.SourceModel;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.Misclassification;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.Printable;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialState;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.thaw.study.CacheSpec;
import dev.thaw.train.cache.FeatureCache;
import dev.thaw.train.cache.FeatureStore;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Fine-tunes the study's source model with DL4J: loads it afresh for every trial, puts the new head on, freezes
 * the backbone below the unfreeze boundary, fits epoch by epoch and evaluates. Every trial of a study uses the
 * study seed for the head's initialisation and the minibatch order, so trials differ only by their hyperparameters.
 * A trial the pruner pauses is checkpointed ({@link TrialCheckpoint}) and later resumes exactly where it stopped: each
 * epoch's randomness comes from (study seed, fold, epoch) alone (see {@link Fold}). A zoo model with random weights
 * first gets its batch norms' running statistics from the training images ({@link SourceModel#adaptBatchNorms}).
 */
public final class Dl4jTrialTrainer implements TrialTrainer {
    private static final int EVAL_BATCH = 256;
    /** How much of the heap this study's cache may hold entries in (the rest are read from their files). */
    private static final long MEMORY_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    /** How many of a trial's most confident mistakes are kept. */
    static final int KEPT_MISTAKES = 20;

    private final StudySpec spec;
    private final TargetData data;
    private final TransferBuilder builder;
    private final FeatureCache cache;

    /** The source model, loaded at most once for every trial this trainer runs. */
    private SourceModel loaded;
    /** Whether the loaded model's batch norms were fitted to the data ({@link SourceModel#adaptBatchNorms}). */
    private boolean adapted;

    /** A trainer that loads the source model when its first trial starts (a model that will not load fails it). */
    public Dl4jTrialTrainer(StudySpec spec, TargetData data) {
        this.spec = spec;
        this.data = data;
        this.builder = new TransferBuilder(spec.epochs());
        this.cache = spec.cache().features() == CacheSpec.Features.OFF ? FeatureCache.off()
                : FeatureCache.in(new FeatureStore(spec.cache().dir(spec.output().dir()), spec.cache().maxBytes(),
                MEMORY_BYTES));
    }

    /** A trainer on a source model already loaded (by the environment check): no trial loads it again. */
    public Dl4jTrialTrainer(StudySpec spec, TargetData data, SourceModel source) {
        this(spec, data);
        this.loaded = source;
    }

    @Override
    public TrialOutcome train(Assignment assignment, TrialControl control) throws TrialFailedException {
        return guarded(source(control), assignment, control);
    }

    @Override
    public TrialOutcome trainFromScratch(Assignment assignment, TrialControl control) throws TrialFailedException {
        Network random = source(control).reinitialized();
        int everything = Backbone.of(random).blocks().size();
        Assignment scratch = assignment.with(Hyperparameter.UNFREEZE_DEPTH, everything)
                .with(Hyperparameter.HEAD_EPOCHS, 0);
        return guarded(random, scratch, control);
    }

    /** A copy of the source model for one trial: loaded and fitted to the data by the first trial to ask. */
    private Network source(TrialControl control) throws TrialFailedException {
        try {
            synchronized (this) {
                if (loaded == null) {
                    loaded = SourceModel.load(spec);
                }
                if (!adapted) {
                    adaptBatchNorms(control);
                    adapted = true;
                }
            }
            return loaded.fresh();
        } catch (IOException | RuntimeException e) {
            throw new TrialFailedException("cannot load the source model " + spec.model().describe() + ": "
                    + Printable.firstLine(e), e);
        }
    }

    /** How a fold of a trial run by {@code control} gets cached frozen features and reports on them. */
    private Fold.Features features(TrialControl control) {
        SourceModel source = loaded;
        return new Fold.Features(cache, (split, x) -> new FeatureCache.Images(spec.model().describe(),
                source.fingerprint(), data.fingerprint(), split, spec.data().preprocess().key(),
                spec.data().imageSize(), x), control::note);
    }

    private void adaptBatchNorms(TrialControl control) throws TrialFailedException {
        long started = System.nanoTime();
        try {
            loaded.adaptBatchNorms(spec, data).filter(e -> e.batchNorms() > 0).ifPresent(e -> control.note(
                    String.format(java.util.Locale.ROOT, "estimated the running statistics of the source's %d batch "
                                    + "norms on %d training images in %.1f s (weights: none; once per study)",
                            e.batchNorms(), e.images(), (System.nanoTime() - started) / 1e9)));
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new TrialFailedException("cannot estimate the batch norms' statistics of " + spec.model().describe()
                    + " on the training images: " + Printable.firstLine(e), e);
        }
    }

    /** Fits, turning what DL4J throws into a one-line failure. */
    private TrialOutcome guarded(Network source, Assignment a, TrialControl control) throws TrialFailedException {
        try {
            return fit(source, a, control);
        } catch (IllegalArgumentException e) {
            throw new TrialFailedException(Printable.firstLine(e), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new TrialFailedException("training failed: " + Printable.firstLine(e), e);
        }
    }

    /**
     * Trains on the held-out split, or on k folds in step (each epoch once per fold, reported as the folds' mean),
     * then evaluates: the report (summed over folds), the most confident mistakes, and the test split by the first
     * fold's model, which is the one kept. Resumes from the control's checkpoint when it names one; pauses into it
     * when the control answers an epoch with PAUSE (and no stop was asked for), without the final evaluation.
     */
    private TrialOutcome fit(Network source, Assignment a, TrialControl control) throws TrialFailedException {
        OptionalInt resume = control.resumeAfter();
        Fold.Features features = features(control);
        List<Fold> folds = resume.isPresent()
                ? resumed(source, a, control.checkpointDir(), resume.getAsInt(), features)
                : started(source, a, features);
        int epoch = resume.orElse(0);
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
                ClassificationReport epochReport = report(fold.validationProbabilities(EVAL_BATCH),
                        fold.split().validation().getLabels());
                trainLoss += loss.getAsDouble() / folds.size();
                validationLoss += fold.validationLoss() / folds.size();
                accuracy += epochReport.accuracy() / folds.size();
                objective += spec.metric().ofEpoch(epochReport, fold.validationLoss()) / folds.size();
            }
            if (stopped) {
                epoch--; // stopped before this epoch's first batch
                break;
            }
            decision = control.epochFinished(new MetricPoint(epoch, trainLoss, validationLoss, accuracy, objective));
            if (decision.action() == PruneDecision.Action.PAUSE && control.stopReason().isEmpty()) {
                pause(folds, a, epoch, control);
                return new TrialOutcome.Paused(epoch, decision.reason());
            }
        }
        return evaluated(folds, epoch, decision, control);
    }

    /** Every fold before its first epoch, each from its own copy of the source. */
    private List<Fold> started(Network source, Assignment a, Fold.Features features) {
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < data.splits().size(); f++) {
            // training one fold must not move another's weights
            folds.add(Fold.start(f, spec, data, builder, a, f == 0 ? source : source.copy(), features));
        }
        return folds;
    }

    /** Every fold as the checkpoint after {@code epoch} holds it. */
    private List<Fold> resumed(Network source, Assignment a, Path checkpointDir, int epoch, Fold.Features features)
            throws TrialFailedException {
        TrialCheckpoint.Saved saved = TrialCheckpoint.read(checkpointDir, TrialCheckpoint.trial(spec.seed(), a), epoch,
                data.splits().size());
        boolean headOnly = Fold.headOnly(a, spec.epochs(), epoch);
        if (saved.headOnly() != headOnly) {
            throw new TrialFailedException("cannot resume after epoch " + epoch + ": the checkpoint in "
                    + checkpointDir + (saved.headOnly() ? " holds head-only networks, but this trial's head_epochs end"
                    : " holds thawed networks, but this trial's head_epochs go on") + " by then; the trial must start over");
        }
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < saved.folds().size(); f++) {
            TrialCheckpoint.FoldState fold = saved.folds().get(f);
            // the source is needed only by a thaw still to come
            Network own = f == 0 || !headOnly ? source : source.copy();
            folds.add(Fold.resume(f, spec, data, builder, a, own, fold.net(), epoch, fold.validationLoss(), features));
        }
        return folds;
    }

    /** Writes the checkpoint after {@code epoch} into the control's folder. */
    private void pause(List<Fold> folds, Assignment a, int epoch, TrialControl control) throws TrialFailedException {
        Path dir = control.checkpointDir();
        List<TrialCheckpoint.FoldState> states = folds.stream()
                .map(f -> new TrialCheckpoint.FoldState(f.net(), f.validationLoss())).toList();
        try {
            TrialCheckpoint.write(dir, new TrialCheckpoint.Saved(TrialCheckpoint.trial(spec.seed(), a), epoch,
                            Fold.headOnly(a, spec.epochs(), epoch), states),
                    control.resumeAfter());
        } catch (IOException e) {
            throw new TrialFailedException("cannot write the checkpoint after epoch " + epoch + " into " + dir + ": "
                    + Printable.firstLine(e) + "; free disk space or make output.dir writable", e);
        }
    }

    /** The final evaluation after {@code epoch}, and how the run ended. */
    private TrialOutcome.Finished evaluated(List<Fold> folds, int epoch, PruneDecision decision, TrialControl control) {
        List<ClassificationReport> reports = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Misclassification> wrong = new ArrayList<>();
        for (Fold fold : folds) {
            INDArray probabilities = fold.validationProbabilities(EVAL_BATCH);
            reports.add(report(probabilities, fold.split().validation().getLabels()));
            losses.add(fold.validationLoss());
            wrong.addAll(misclassified(probabilities, fold.split()));
        }
        wrong.sort(Comparator.comparingDouble(Misclassification::confidence).reversed());
        List<Misclassification> worst = List.copyOf(wrong.subList(0, Math.min(KEPT_MISTAKES, wrong.size())));
        Network kept = folds.get(0).net();
        Optional<ClassificationReport> testReport = data.test().map(t -> report(probabilities(kept, t), t.getLabels()));
        TrialResult result = folds.size() == 1
                ? new TrialResult(reports.get(0), losses.get(0), testReport, epoch, List.of(), List.of(), worst)
                : new TrialResult(ClassificationReport.summed(reports), losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                testReport, epoch, reports, losses, worst);
        Optional<String> stop = control.stopReason();
        if (stop.isPresent()) {
            return new TrialOutcome.Finished(result, new KeptNetwork(kept), TrialState.STOPPED, stop);
        }
        if (decision.action() == PruneDecision.Action.PRUNE) {
            return new TrialOutcome.Finished(result, new KeptNetwork(kept), TrialState.PRUNED, Optional.of(decision.reason()));
        }
        return new TrialOutcome.Finished(result, new KeptNetwork(kept), TrialState.COMPLETE, Optional.empty());
    }

    /** The validation images of {@code split} given {@code probabilities} [n, classes] that get them wrong. */
    private List<Misclassification> misclassified(INDArray probabilities, TargetData.Split split) {
        List<Misclassification> out = new ArrayList<>();
        List<Integer> labels = spec.data().classes();
        INDArray predicted = probabilities.argMax(1);
        INDArray actual = split.validation().getLabels().argMax(1);
        for (int i = 0; i < probabilities.size(0); i++) {
            int p = predicted.getInt(i);
            int t = actual.getInt(i);
            if (p != t) {
                out.add(new Misclassification(split.validationIds().get(i), labels.get(t), labels.get(p),
                        probabilities.getDouble(i, p)));
            }
        }
        return out;
    }

    /** {@code net}'s class probabilities for the images of {@code images}, in inference mode, a batch at a time. */
    private static INDArray probabilities(Network net, DataSet images) {
        List<INDArray> parts = new ArrayList<>();
        for (int from = 0; from < images.numExamples(); from += EVAL_BATCH) {
            int to = Math.min(images.numExamples(), from + EVAL_BATCH);
            parts.add(net.output(images.getFeatures().get(NDArrayIndex.interval(from, to))));
        }
        return Nd4j.vstack(parts.toArray(INDArray[]::new));
    }

    /**
     * The report of predictions {@code probabilities} [n, classes] against one-hot {@code labels} [n, classes]: each
     * image counts for the class of its highest probability (the first of a tie), as DL4J's Evaluation counts; the
     * scores come from the confusion matrix alone (see ClassificationReport).
     */
    private ClassificationReport report(INDArray probabilities, INDArray labels) {
        int k = data.classes();
        int[][] confusion = new int[k][k];
        INDArray predicted = probabilities.argMax(1);
        INDArray actual = labels.argMax(1);
        for (int i = 0; i < probabilities.size(0); i++) {
            confusion[actual.getInt(i)][predicted.getInt(i)]++;
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
}
