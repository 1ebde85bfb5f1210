package dev.thaw.cli;

import dev.thaw.study.Keys;
import dev.thaw.study.ModelSpec;
import dev.thaw.study.Printable;
import dev.thaw.train.source.ModelInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code thaw inspect-model SOURCE}: the blocks of a source model that {@code unfreeze_depth} counts, their layers and
 * parameters, and which depth thaws each.
 */
@Command(name = "inspect-model", description = {
        "Show a source model as Thaw fine-tunes it: the classifier its head replaces, and the backbone's blocks (the "
                + "units of unfreeze_depth) with their layers, parameters and the depth that thaws each.",
        "SOURCE is a DL4J zip, a Keras HDF5 file (.h5), or a zoo name (vgg16, vgg19, resnet50, squeezenet, "
                + "xception, darknet19)."})
final class InspectModelCommand extends ThawCommand {
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    @Parameters(paramLabel = "SOURCE", description = "A .zip (DL4J), a .h5 (Keras) or a zoo model name.")
    String source;

    @Option(names = "--weights", paramLabel = "imagenet|none",
            description = "A zoo model's weights (default: none, the architecture alone, nothing downloaded).")
    String weights = "none";

    @Option(names = "--image-size", paramLabel = "N",
            description = "Input side for a zoo model with random weights (default: its ImageNet size).")
    Integer imageSize;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = spec();
        int size = imageSize != null ? imageSize : spec.zoo().map(ModelSpec.ZooArchitecture::imageSize).orElse(0);
        out().println("loading " + Printable.of(spec.describe())
                + (spec.zoo().isPresent() ? " at " + size + "x" + size : "") + " ...");
        ModelInspection m;
        try {
            m = ModelInspection.of(spec, size, 42);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("cannot inspect " + spec.describe() + ": " + e.getMessage());
        }
        print(m, out());
        return 0;
    }

    private ModelSpec spec() throws UserException {
        String lower = source.toLowerCase(Locale.ROOT);
        Path file = Path.of(source);
        if (Files.isRegularFile(file)) {
            return ModelSpec.file(hdf5(file) ? ModelSpec.ModelSource.KERAS : ModelSpec.ModelSource.DL4J, file, 0);
        }
        if (lower.endsWith(".zip") || lower.endsWith(".h5") || lower.endsWith(".hdf5")) {
            throw new UserException("file not found: " + file);
        }
        String name = lower.startsWith("zoo:") ? lower.substring(4) : lower;
        ModelSpec.ZooArchitecture zoo = Keys.parse(ModelSpec.ZooArchitecture.values(), name).orElseThrow(() ->
                new UserException("unknown model '" + source + "': give a .zip (DL4J), a .h5 (Keras) or one of: "
                        + Keys.list(ModelSpec.ZooArchitecture.values())));
        ModelSpec.ZooWeights w = Keys.parse(ModelSpec.ZooWeights.values(), weights).orElseThrow(() ->
                new UserException("unknown --weights '" + weights + "'; use imagenet or none"));
        return ModelSpec.zoo(zoo, w, 0);
    }

    /** True for an HDF5 file (a Keras model), whatever its name; DL4J's models are zips. */
    private static boolean hdf5(Path file) throws UserException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(HDF5.length), HDF5);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static void print(ModelInspection m, PrintWriter out) {
        int n = m.blocks().size();
        // names come from the model file: printed inert
        out.printf(Locale.ROOT, "%s: %s, %,d parameters, %s input%n", Printable.of(m.model()), m.kind(), m.params(),
                m.channels() > 0 ? m.channels() + "-channel" : "non-convolutional");
        out.printf(Locale.ROOT, "classifier, replaced by Thaw's head: %s (%,d parameters)%n",
                Printable.of(String.join(" -> ", m.classifier())), m.classifierParams());
        out.printf(Locale.ROOT, "backbone: %d blocks, so unfreeze_depth runs 0..%d; depth k thaws the top k blocks "
                + "(0: the new head trains alone)%n", n, n);
        out.printf(Locale.ROOT, "%5s  %-16s %12s  %-9s %s%n", "block", "name", "parameters", "thaws at", "layers");
        List<ModelInspection.Block> blocks = m.blocks();
        for (int i = n - 1; i >= 0; i--) {
            ModelInspection.Block b = blocks.get(i);
            out.printf(Locale.ROOT, "%5d  %-16s %,12d  depth>=%-2d %s%n", i + 1, Printable.of(b.name()), b.params(),
                    b.thawedFromDepth(), Printable.of(layers(b.layers())));
        }
    }

    private static String layers(List<String> names) {
        if (names.size() <= 4) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 3)) + ", ... " + names.get(names.size() - 1) + " (" + names.size()
                + " layers)";
    }
}
