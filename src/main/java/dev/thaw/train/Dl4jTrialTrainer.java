package dev.thaw.train;

import dev.thaw.study.Assignment;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialResult;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Fine-tunes the study's source model with DL4J: loads it afresh for every trial, puts the new head on, freezes
 * the backbone below the unfreeze boundary, fits epoch by epoch and evaluates. Every trial of a study uses the
 * study seed for the head's initialisation and the minibatch order, so trials differ only by their hyperparameters.
 */
public final class Dl4jTrialTrainer implements TrialTrainer {
    private static final int EVAL_BATCH = 256;

    private final StudySpec spec;
    private final TargetData data;
    private final TransferBuilder builder;

    public Dl4jTrialTrainer(StudySpec spec, TargetData data) {
        this.spec = spec;
        this.data = data;
        this.builder = new TransferBuilder(spec.epochs());
    }

    @Override
    public TrialOutcome train(Assignment assignment, TrialControl control) throws TrialFailedException {
        Network source;
        try {
            source = SourceModels.load(spec.model(), spec.data().imageSize(), spec.seed());
        } catch (IOException | RuntimeException e) {
            throw new TrialFailedException("cannot load the source model " + spec.model().describe() + ": " + oneLine(e), e);
        }
        try {
            return fit(source, assignment, control);
        } catch (IllegalArgumentException e) {
            throw new TrialFailedException(oneLine(e), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new TrialFailedException("training failed: " + oneLine(e), e);
        }
    }

    @Override
    public TrialOutcome trainFromScratch(Assignment assignment, TrialControl control) throws TrialFailedException {
        Network random;
        try {
            random = SourceModels.load(spec.model(), spec.data().imageSize(), spec.seed()).reinitialized();
        } catch (IOException | RuntimeException e) {
            throw new TrialFailedException("cannot load the source model " + spec.model().describe() + ": " + oneLine(e), e);
        }
        int everything = Backbone.of(random).blocks().size();
        Assignment scratch = assignment.with(Hyperparameter.UNFREEZE_DEPTH, everything)
                .with(Hyperparameter.HEAD_EPOCHS, 0);
        try {
            return fit(random, scratch, control);
        } catch (IllegalArgumentException e) {
            throw new TrialFailedException(oneLine(e), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new TrialFailedException("training failed: " + oneLine(e), e);
        }
    }

    /**
     * With {@code head_epochs} h and {@code unfreeze_depth} k > 0: h epochs with the backbone frozen, then the thaw —
     * the network with k layers thawed takes over every weight trained so far — for the remaining epochs.
     */
    private TrialOutcome fit(Network source, Assignment a, TrialControl control) throws TrialFailedException {
        int hidden = spec.model().hiddenUnits();
        int headEpochs = a.unfreezeDepth() > 0 ? Math.min(a.headEpochs(), spec.epochs()) : 0;
        Network net = headEpochs > 0
                ? builder.buildHeadOnly(source.copy(), a, hidden, data.classes(), spec.seed())
                : builder.build(source, a, hidden, data.classes(), spec.seed());
        LossTracker losses = new LossTracker();
        net.setListeners(losses);
        List<DataSet> examples = new ArrayList<>(data.train().asList());
        List<DataSet> validation = data.validation().asList();
        Random order = new Random(spec.seed());
        Augmenter augmenter = new Augmenter(a.augmentation(), data.channelsLast(), data.valueRange(), spec.seed());
        int epoch = 0;
        double validationLoss = Double.NaN;
        while (epoch < spec.epochs() && control.stopReason().isEmpty()) {
            if (epoch == headEpochs && headEpochs > 0) {
                Network thawed = builder.build(source, a, hidden, data.classes(), spec.seed());
                thawed.setParams(net.params());
                thawed.setEpochCount(headEpochs); // the learning-rate schedule goes on where it was
                net = thawed;
                net.setListeners(losses);
            }
            epoch++;
            Collections.shuffle(examples, order);
            List<DataSet> batches = augmenter.active() ? augmenter.epoch(examples, epoch) : examples;
            net.fit(new StoppableIterator(new ListDataSetIterator<>(batches, a.batchSize()), control));
            double trainLoss = losses.takeMean();
            if (Double.isNaN(trainLoss) && control.stopReason().isPresent()) {
                epoch--; // stopped before this epoch's first batch
                break;
            }
            validationLoss = net.loss(data.validation());
            if (!Double.isFinite(trainLoss) || !Double.isFinite(validationLoss)) {
                throw new TrialFailedException(String.format(java.util.Locale.ROOT,
                        "diverged: loss is not finite at epoch %d (train %s, validation %s); lower learning_rate",
                        epoch, trainLoss, validationLoss));
            }
            Evaluation eval = net.evaluate(new ListDataSetIterator<>(validation, EVAL_BATCH));
            control.epochFinished(new MetricPoint(epoch, trainLoss, validationLoss, eval.accuracy()));
        }
        Network trained = net;
        ClassificationReport validationReport = report(trained.evaluate(new ListDataSetIterator<>(validation, EVAL_BATCH)));
        Optional<ClassificationReport> testReport = data.test()
                .map(t -> report(trained.evaluate(new ListDataSetIterator<>(t.asList(), EVAL_BATCH))));
        return new TrialOutcome(new TrialResult(validationReport, validationLoss, testReport, epoch), trained,
                control.stopReason());
    }

    private ClassificationReport report(Evaluation eval) {
        int k = data.classes();
        int[][] confusion = new int[k][k];
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                confusion[actual][predicted] = eval.getConfusionMatrix().getCount(actual, predicted);
            }
        }
        return new ClassificationReport(eval.accuracy(), finite(eval.precision(EvaluationAveraging.Macro)),
                finite(eval.recall(EvaluationAveraging.Macro)), finite(eval.f1(EvaluationAveraging.Macro)),
                spec.data().classes(), confusion);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0.0;
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
