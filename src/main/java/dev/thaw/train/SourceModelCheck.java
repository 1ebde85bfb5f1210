package dev.thaw.train;

import dev.thaw.train.source.Backbone;
import dev.thaw.train.source.InputSides;
import dev.thaw.train.source.Network;
import dev.thaw.train.source.SourceModel;
import dev.thaw.train.source.SourceModelException;
import dev.thaw.train.source.SourceModels;

import dev.thaw.study.Printable;
import dev.thaw.train.data.ModelInput;
import dev.thaw.train.data.TargetData;
import dev.thaw.train.fit.Dl4jTrialTrainer;
import dev.thaw.train.transfer.TransferBuilder;

import dev.thaw.study.Assignment;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.SuggestedCommand;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before a study runs, that its source model fits it: the model loads, it takes images (not vectors) and
 * images of {@code image_size} (a refusal says which sides it takes), its output layer can be replaced, the space's
 * deepest {@code unfreeze_depth} exists in its backbone, and the network a trial builds gives an output for such
 * images.
 */
public final class SourceModelCheck {

    /** Returns the number of backbone blocks (unfreeze_depth's units); throws with a one-line reason naming the field. */
    public int check(StudySpec spec) throws SourceModelException {
        return check(spec, load(spec));
    }

    /** Loads the study's source model once; a model that will not load is a one-line error naming the field. */
    public static SourceModel load(StudySpec spec) throws SourceModelException {
        try {
            return SourceModel.load(spec);
        } catch (IOException | RuntimeException e) {
            String message = Printable.firstLine(e);
            throw new SourceModelException(message.startsWith("model: ") || message.startsWith("data.") ? message
                    : "model" + (spec.model().path().isPresent() ? ".path" : "") + ": cannot load "
                    + spec.model().describe() + ": " + message);
        }
    }

    /** As {@link #check(StudySpec)}, on the study's source model already loaded (it is not changed). */
    public int check(StudySpec spec, SourceModel model) throws SourceModelException {
        Network source = model.fresh();
        int size = spec.data().imageSize();
        ModelInput input = SourceModels.input(source).orElse(new ModelInput(TargetData.ownChannels(spec.data()), false));
        InputSides sides = InputSides.of(source, input.channels(), input.channelsLast());
        Optional<InputSides.Refusal> refusal = sides.refusal(size);
        if (refusal.isPresent() && !runs(source, input, size)) {
            throw new SourceModelException(unfit(spec, source, input, sides, refusal.get()));
        }
        int takes = SourceModels.input(source).map(ModelInput::channels).orElse(0);
        if (spec.data().preprocess() == dev.thaw.study.Preprocess.IMAGENET && takes != 3) {
            throw new SourceModelException("data.preprocess: imagenet needs a model of 3 input channels, "
                    + spec.model().describe() + " takes " + takes + "; use preprocess: unit");
        }
        int layers;
        try {
            layers = Backbone.of(source).blocks().size();
        } catch (IllegalArgumentException e) {
            throw new SourceModelException("model: " + spec.model().describe() + " cannot be fine-tuned: " + e.getMessage());
        }
        int deepest = deepest(spec.space().get(Hyperparameter.UNFREEZE_DEPTH.key()));
        if (deepest > layers) {
            throw new SourceModelException("space.unfreeze_depth: goes up to " + deepest + " but " + spec.model().describe()
                    + " has " + layers + " backbone blocks; use at most " + layers + "; see them with: "
                    + inspectCommand(spec));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            values.put(h.key(), h.defaultValue());
        }
        values.put(Hyperparameter.UNFREEZE_DEPTH.key(), deepest);
        try {
            Network net = new TransferBuilder(spec.epochs()).build(source, new Assignment(values), spec.model().hiddenUnits(),
                    spec.data().classes().size(), spec.seed());
            net.output(input.arrange(Nd4j.zeros(2, input.channels(), size, size)));
        } catch (RuntimeException e) {
            throw new SourceModelException("model: " + spec.model().describe() + " does not fit this study ("
                    + input.channels() + "-channel " + size + "x" + size + " images, data.image_size), though its "
                    + "layers' shapes say it should; DL4J: " + Printable.firstLine(e));
        }
        return layers;
    }

    /** {@code thaw inspect-model} on the study's model: its file, or its zoo name at the study's image size. */
    static SuggestedCommand inspectCommand(StudySpec spec) {
        ModelSpec model = spec.model();
        if (model.zoo().isEmpty()) {
            return SuggestedCommand.of("inspect-model", model.path().orElseThrow().toString());
        }
        ModelSpec.ZooArchitecture zoo = model.zoo().get();
        SuggestedCommand inspect = SuggestedCommand.of("inspect-model", zoo.key());
        int size = spec.data().imageSize();
        return size == zoo.imageSize() ? inspect : inspect.and("--image-size", String.valueOf(size));
    }

    /** True when the source model gives an output for one blank image (where its shapes are not the last word). */
    private static boolean runs(Network source, ModelInput input, int size) {
        try {
            source.output(input.arrange(Nd4j.zeros(1, input.channels(), size, size)));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One line on what images the model takes, and what in the study file to change. */
    private static String unfit(StudySpec spec, Network source, ModelInput input, InputSides sides,
                                InputSides.Refusal refusal) {
        String model = spec.model().describe();
        int channels = input.channels();
        int size = spec.data().imageSize();
        String field = spec.model().path().isPresent() ? "model.path" : "model";
        if (refusal.flatInput()) {
            return field + ": " + model + " takes vectors of " + refusal.values() + " values, not images (its "
                    + refusal.layer() + " is dense, with nothing before it that takes an image); Thaw fine-tunes "
                    + "models that take images: use one that starts with a 2D convolution (as thaw pretrain's and "
                    + "every zoo model do)";
        }
        String at = " (at " + size + "x" + size + ": " + refusal.text() + ")";
        Optional<Integer> smallest = sides.smallest();
        if (smallest.isEmpty()) {
            return field + ": " + model + " takes no " + channels + "-channel square images from " + InputSides.SMALLEST
                    + "x" + InputSides.SMALLEST + " to " + InputSides.LARGEST + "x" + InputSides.LARGEST + at
                    + "; use a model that takes images";
        }
        int from = smallest.get();
        int to = sides.runFrom(from);
        String images = channels + "-channel images";
        if (!runs(source, input, from)) {
            // the shapes say it fits and DL4J disagrees: say what is known, not a side that would not run
            return "data.image_size: " + model + " does not take " + images + " of " + size + "x" + size + at
                    + "; try another image_size";
        }
        if (from == to) {
            return "data.image_size: " + model + " takes only " + from + "x" + from + " " + images + at
                    + "; set image_size: " + from;
        }
        if (to == InputSides.LARGEST) {
            return "data.image_size: " + model + " takes " + images + " of at least " + from + "x" + from + at
                    + "; set image_size: " + from + " or more";
        }
        return "data.image_size: " + model + " takes " + images + " from " + from + "x" + from + " to " + to + "x" + to
                + at + "; set image_size between " + from + " and " + to;
    }

    private static int deepest(ParamSpec p) {
        if (p instanceof ParamSpec.IntParam i) {
            return i.value(i.count() - 1);
        }
        if (p instanceof ParamSpec.ChoiceParam c) {
            return c.values().stream().mapToInt(v -> ((Number) v).intValue()).max().orElse(0);
        }
        return ((Number) ((ParamSpec.FixedParam) p).value()).intValue();
    }
}
