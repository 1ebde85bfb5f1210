package dev.thaw.cli;

import dev.thaw.study.DataSpec;
import dev.thaw.study.ImageSource;
import dev.thaw.train.fit.Pretrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code thaw pretrain --out FILE}: trains the built-in CNN on a source task to serve as a pretrained model. */
@Command(name = "pretrain", description = "Train the built-in CNN on a source task (default: Fashion-MNIST "
        + "classes 0-4) and save it as a source model zip.")
final class PretrainCommand extends ThawCommand {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model zip.")
    Path out;

    @Option(names = "--images", paramLabel = "IDX", description = "Training images (default: Debian's Fashion-MNIST).")
    Path images = FASHION.resolve("train-images-idx3-ubyte.gz");

    @Option(names = "--labels", paramLabel = "IDX", description = "Training labels (default: Debian's Fashion-MNIST).")
    Path labels = FASHION.resolve("train-labels-idx1-ubyte.gz");

    @Option(names = "--classes", split = ",", paramLabel = "N", description = "Source classes (default: 0,1,2,3,4).")
    List<Integer> classes = List.of(0, 1, 2, 3, 4);

    @Option(names = "--per-class", paramLabel = "N", description = "Images per class (default: ${DEFAULT-VALUE}).")
    int perClass = 1200;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--image-size", paramLabel = "PX", description = "Input side length (default: ${DEFAULT-VALUE}).")
    int imageSize = 28;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        for (Path p : List.of(images, labels)) {
            if (!Files.isRegularFile(p)) {
                throw new UserException("file not found: " + p + "; install Debian's dataset-fashion-mnist "
                        + "(apt-get install dataset-fashion-mnist), or download it with scripts/fashion-mnist and pass "
                        + "--images and --labels");
            }
        }
        if (epochs < 1 || perClass < 10 || classes.size() < 2) {
            throw new UserException("--epochs must be >= 1, --per-class >= 10 and --classes at least two labels");
        }
        DataSpec data = DataSpec.idx(new ImageSource.Idx(images, labels, Optional.empty(), Optional.empty()),
                classes, perClass, 1.0 / 6, imageSize);
        out().printf(Locale.ROOT, "pretraining the built-in CNN on classes %s, %d images each, %d epochs%n",
                classes, perClass, epochs);
        long started = System.nanoTime();
        double accuracy = new Pretrainer().pretrain(data, epochs, seed, out, p -> out().printf(Locale.ROOT,
                "    epoch %d/%d  train_loss %.4f  val_loss %.4f  val_accuracy %.4f%n",
                p.epoch(), epochs, p.trainLoss(), p.validationLoss(), p.validationAccuracy()));
        out().printf(Locale.ROOT, "wrote %s (source validation accuracy %.4f) in %.1f s%n", out, accuracy,
                (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
