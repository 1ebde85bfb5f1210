package dev.thaw.study;

import java.util.Optional;

/** The optimizers a study may name; {@code train} maps each to a DL4J updater. */
public enum Optimizer {
    SGD, NESTEROVS, ADAM, RMSPROP, ADAMAX, ADAGRAD, ADADELTA, NADAM, AMSGRAD;

    public String key() {
        return Keys.of(this);
    }

    public static Optional<Optimizer> parse(String key) {
        return Keys.parse(values(), key);
    }

    public static String keys() {
        return Keys.list(values());
    }
}
