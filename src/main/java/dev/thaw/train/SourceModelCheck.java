package dev.thaw.train;

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

/**
 * Checks, before a study runs, that its source model fits it: the model loads, its output layer can be replaced,
 * the space's deepest {@code unfreeze_depth} exists in its backbone, and it accepts images of {@code image_size}.
 */
public final class SourceModelCheck {

    /** Returns the number of backbone blocks (unfreeze_depth's units); throws with a one-line reason naming the field. */
    public int check(StudySpec spec) throws SourceModelException {
        Network source;
        try {
            source = SourceModels.load(spec.model(), spec.data().imageSize(), spec.seed());
        } catch (IOException | RuntimeException e) {
            String message = Dl4jTrialTrainer.oneLine(e);
            throw new SourceModelException(message.startsWith("model: ") || message.startsWith("data.") ? message
                    : "model" + (spec.model().path().isPresent() ? ".path" : "") + ": cannot load "
                    + spec.model().describe() + ": " + message);
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
        int channels = 1;
        try {
            Network net = new TransferBuilder(spec.epochs()).build(source, new Assignment(values), spec.model().hiddenUnits(),
                    spec.data().classes().size(), spec.seed());
            int size = spec.data().imageSize();
            ModelInput input = SourceModels.input(source).orElse(new ModelInput(1, false));
            channels = input.channels();
            net.output(input.arrange(Nd4j.zeros(2, channels, size, size)));
        } catch (RuntimeException e) {
            throw new SourceModelException("model: " + spec.model().describe() + " does not fit this study ("
                    + channels + "-channel " + spec.data().imageSize() + "x" + spec.data().imageSize()
                    + " images, data.image_size): " + Dl4jTrialTrainer.oneLine(e));
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
