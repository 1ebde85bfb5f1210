package dev.thaw.study;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The optimizers a study may name; {@code train} maps each to a DL4J updater. */
public enum Optimizer {
    SGD, NESTEROVS, ADAM, RMSPROP, ADAMAX, ADAGRAD, ADADELTA, NADAM, AMSGRAD;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Optimizer> parse(String key) {
        return Arrays.stream(values()).filter(o -> o.key().equals(key)).findFirst();
    }

    public static String keys() {
        return Arrays.stream(values()).map(Optimizer::key).collect(Collectors.joining(", "));
    }
}
