package dev.thaw.study;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The study-file spelling of enum constants: their lower-case names ({@code val_accuracy}, {@code adam}). */
public final class Keys {
    private Keys() {
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant spelled {@code key} (any case), if there is one. */
    public static <E extends Enum<E>> Optional<E> parse(E[] values, String key) {
        return Arrays.stream(values).filter(v -> v.name().equalsIgnoreCase(key)).findFirst();
    }

    /** All spellings, comma-separated, for error messages. */
    public static String list(Enum<?>[] values) {
        return Arrays.stream(values).map(Keys::of).collect(Collectors.joining(", "));
    }
}
