package dev.thaw.study;

import java.util.Optional;

/**
 * Random changes to each training image, drawn anew every epoch from the study seed: a horizontal flip with
 * probability {@code flip}, a rotation of up to ±{@code rotation} degrees, a zoom of up to ±{@code zoom} (0.1 = 90% to
 * 110%; zooming in crops, zooming out pads with the border), and a brightness shift of up to ±{@code brightness} of the
 * pixel range. Validation and test images are never changed.
 */
public record Augmentation(double flip, double rotation, double zoom, double brightness) {
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0);

    public Augmentation {
        if (flip < 0 || flip > 1 || rotation < 0 || rotation > 180 || zoom < 0 || zoom > 0.5 || brightness < 0
                || brightness > 1) {
            throw new IllegalArgumentException("flip in [0, 1], rotation in [0, 180], zoom in [0, 0.5] and brightness "
                    + "in [0, 1] must hold, got " + this);
        }
    }

    public boolean any() {
        return flip > 0 || rotation > 0 || zoom > 0 || brightness > 0;
    }

    /** The named settings a study can search as {@code augment}. */
    public enum Preset {
        NONE(Augmentation.NONE),
        /** Flips half the images, ±10°, ±10% zoom, ±10% brightness. */
        LIGHT(new Augmentation(0.5, 10, 0.1, 0.1)),
        /** Flips half the images, ±25°, ±20% zoom, ±25% brightness. */
        STRONG(new Augmentation(0.5, 25, 0.2, 0.25));

        private final Augmentation settings;

        Preset(Augmentation settings) {
            this.settings = settings;
        }

        public Augmentation settings() {
            return settings;
        }

        public static Optional<Preset> parse(String key) {
            return Keys.parse(values(), key);
        }

        public static String keys() {
            return Keys.list(values());
        }
    }
}
