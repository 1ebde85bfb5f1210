package dev.thaw.train.data;

import java.util.OptionalInt;

/**
 * How many images of one class a study has, and how it uses them.
 *
 * @param name  the class's name, as {@code data.classes} gives it
 * @param found the class's images in the training source
 * @param used  of those, the images the study uses: {@code per_class} of them, or all
 * @param held  of those, the images held out for validation on one split; 0 with k folds (each fold holds out about
 *              {@code used / k})
 * @param test  the class's images in the test split; empty when the data has none
 */
public record ClassCount(String name, int found, int used, int held, OptionalInt test) {
    public ClassCount {
        if (found < 0 || used < 0 || used > found || held < 0 || held > used) {
            throw new IllegalArgumentException("0 <= held <= used <= found must hold, got found=" + found + ", used="
                    + used + ", held=" + held);
        }
    }

    /** The images the class trains on, on one split. */
    public int train() {
        return used - held;
    }
}
