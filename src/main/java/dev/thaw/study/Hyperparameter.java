package dev.thaw.study;

import java.util.Optional;

/**
 * The hyperparameters a study may search, each with its value kind and the value used when the study leaves it out.
 * {@code unfreeze_depth} k means: the new head and the top k parameterised layers of the backbone train;
 * everything below them stays frozen (0 = only the head trains). The fine-tuning recipe: {@code head_epochs} train
 * the head alone before the thaw; the thawed layers learn at {@code learning_rate × backbone_lr_factor};
 * {@code momentum} for nesterovs; {@code weight_decay} for every trained layer; {@code lr_schedule} over the
 * trial's epochs ({@link LrSchedule}); the new head's shape: {@code head_layers} hidden dense layers of
 * {@code head_units} each (by default {@code model.head.hidden} units in one layer); training-image augmentation
 * ({@link Augmentation}): a preset {@code augment} (none, light, strong), and {@code augment_flip},
 * {@code augment_rotation}, {@code augment_zoom}, {@code augment_brightness}, which override the preset's setting when
 * named. The first five are part of every study's space; the others only where a study names them.
 */
public enum Hyperparameter {
    LEARNING_RATE(Kind.FLOAT, 1e-3, true),
    BATCH_SIZE(Kind.INT, 32, true),
    DROPOUT(Kind.FLOAT, 0.0, true),
    OPTIMIZER(Kind.OPTIMIZER, "adam", true),
    UNFREEZE_DEPTH(Kind.INT, 0, true),
    HEAD_EPOCHS(Kind.INT, 0, false),
    BACKBONE_LR_FACTOR(Kind.FLOAT, 1.0, false),
    MOMENTUM(Kind.FLOAT, 0.9, false),
    WEIGHT_DECAY(Kind.FLOAT, 0.0, false),
    LR_SCHEDULE(Kind.SCHEDULE, "none", false),
    HEAD_UNITS(Kind.INT, 0, false),
    HEAD_LAYERS(Kind.INT, 1, false),
    AUGMENT(Kind.AUGMENT, "none", false),
    AUGMENT_FLIP(Kind.FLOAT, 0.0, false),
    AUGMENT_ROTATION(Kind.FLOAT, 0.0, false),
    AUGMENT_ZOOM(Kind.FLOAT, 0.0, false),
    AUGMENT_BRIGHTNESS(Kind.FLOAT, 0.0, false);

    /** What values a hyperparameter takes. */
    public enum Kind { FLOAT, INT, OPTIMIZER, SCHEDULE, AUGMENT }

    private final Kind kind;
    private final Object defaultValue;
    private final boolean always;

    Hyperparameter(Kind kind, Object defaultValue, boolean always) {
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.always = always;
    }

    /** True for the hyperparameters every study's space holds (at their defaults when the study leaves them out). */
    public boolean always() {
        return always;
    }

    public Kind kind() {
        return kind;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String key() {
        return Keys.of(this);
    }

    /**
     * When this hyperparameter has any effect on training, whatever the study file says: {@code momentum} only with
     * {@code nesterovs} (the only optimizer that takes it), {@code head_epochs} and {@code backbone_lr_factor} only
     * with {@code unfreeze_depth >= 1} (with nothing thawed there is no head-only phase and no backbone rate).
     */
    public Condition builtInCondition() {
        return switch (this) {
            case MOMENTUM -> new Condition(java.util.Map.of(OPTIMIZER.key(),
                    new Condition.OneOf(java.util.List.of(Optimizer.NESTEROVS.key()))));
            case HEAD_EPOCHS, BACKBONE_LR_FACTOR -> new Condition(java.util.Map.of(UNFREEZE_DEPTH.key(),
                    new Condition.Between(java.util.OptionalDouble.of(1), java.util.OptionalDouble.empty())));
            default -> Condition.ALWAYS;
        };
    }

    /** Why {@code value} is not allowed for this hyperparameter, or empty when it is. */
    public Optional<String> problemWith(Object value) {
        return switch (this) {
            case LEARNING_RATE -> number(value).filter(v -> v > 0 && v < 10).isPresent()
                    ? Optional.empty() : Optional.of("must be a number in (0, 10), got " + value);
            case DROPOUT -> number(value).filter(v -> v >= 0 && v < 1).isPresent()
                    ? Optional.empty() : Optional.of("must be a number in [0, 1), got " + value);
            case BATCH_SIZE -> integer(value).filter(v -> v >= 1).isPresent()
                    ? Optional.empty() : Optional.of("must be a whole number >= 1, got " + value);
            case UNFREEZE_DEPTH, HEAD_EPOCHS -> integer(value).filter(v -> v >= 0).isPresent()
                    ? Optional.empty() : Optional.of("must be a whole number >= 0, got " + value);
            case BACKBONE_LR_FACTOR -> number(value).filter(v -> v > 0 && v <= 10).isPresent()
                    ? Optional.empty() : Optional.of("must be a number in (0, 10], got " + value);
            case HEAD_UNITS -> integer(value).filter(v -> v >= 0 && v <= 65_536).isPresent()
                    ? Optional.empty() : Optional.of("must be a whole number in 0..65536 (0: no hidden layer), got " + value);
            case HEAD_LAYERS -> integer(value).filter(v -> v >= 0 && v <= 4).isPresent()
                    ? Optional.empty() : Optional.of("must be a whole number in 0..4, got " + value);
            case MOMENTUM, WEIGHT_DECAY -> number(value).filter(v -> v >= 0 && v < 1).isPresent()
                    ? Optional.empty() : Optional.of("must be a number in [0, 1), got " + value);
            case OPTIMIZER -> value instanceof String s && Optimizer.parse(s).isPresent()
                    ? Optional.empty()
                    : Optional.of("unknown optimizer '" + value + "'; use one of: " + Optimizer.keys());
            case LR_SCHEDULE -> value instanceof String s && LrSchedule.parse(s).isPresent()
                    ? Optional.empty()
                    : Optional.of("unknown schedule '" + value + "'; use one of: " + LrSchedule.keys());
            case AUGMENT -> value instanceof String s && Augmentation.Preset.parse(s).isPresent()
                    ? Optional.empty()
                    : Optional.of("unknown augmentation '" + value + "'; use one of: " + Augmentation.Preset.keys());
            case AUGMENT_FLIP -> number(value).filter(v -> v >= 0 && v <= 1).isPresent()
                    ? Optional.empty() : Optional.of("must be a probability in [0, 1], got " + value);
            case AUGMENT_ROTATION -> number(value).filter(v -> v >= 0 && v <= 180).isPresent()
                    ? Optional.empty() : Optional.of("must be degrees in [0, 180], got " + value);
            case AUGMENT_ZOOM -> number(value).filter(v -> v >= 0 && v <= 0.5).isPresent()
                    ? Optional.empty() : Optional.of("must be a fraction in [0, 0.5], got " + value);
            case AUGMENT_BRIGHTNESS -> number(value).filter(v -> v >= 0 && v <= 1).isPresent()
                    ? Optional.empty() : Optional.of("must be a fraction of the pixel range in [0, 1], got " + value);
        };
    }

    public static Optional<Hyperparameter> parse(String key) {
        return Keys.parse(values(), key);
    }

    public static String keys() {
        return Keys.list(values());
    }

    private static Optional<Double> number(Object value) {
        return value instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    private static Optional<Integer> integer(Object value) {
        return value instanceof Integer || value instanceof Long
                ? Optional.of(((Number) value).intValue()) : Optional.empty();
    }
}
