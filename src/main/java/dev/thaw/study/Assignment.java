package dev.thaw.study;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameter values one trial runs with, by key ({@code learning_rate} ...), in the study's order.
 * Values are Double, Integer or String. Serializable because Arbiter serializes candidate values.
 */
public record Assignment(Map<String, Object> values) implements java.io.Serializable {
    public Assignment {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The same assignment with {@code h} set to {@code value}. */
    public Assignment with(Hyperparameter h, Object value) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>(values);
        changed.put(h.key(), value);
        return new Assignment(changed);
    }

    public Object get(Hyperparameter h) {
        Object v = values.get(h.key());
        return v != null ? v : h.defaultValue();
    }

    public double learningRate() {
        return ((Number) get(Hyperparameter.LEARNING_RATE)).doubleValue();
    }

    public int batchSize() {
        return ((Number) get(Hyperparameter.BATCH_SIZE)).intValue();
    }

    public double dropout() {
        return ((Number) get(Hyperparameter.DROPOUT)).doubleValue();
    }

    public Optimizer optimizer() {
        return Optimizer.parse((String) get(Hyperparameter.OPTIMIZER)).orElseThrow();
    }

    public int unfreezeDepth() {
        return ((Number) get(Hyperparameter.UNFREEZE_DEPTH)).intValue();
    }

    public int headEpochs() {
        return ((Number) get(Hyperparameter.HEAD_EPOCHS)).intValue();
    }

    public double backboneLrFactor() {
        return ((Number) get(Hyperparameter.BACKBONE_LR_FACTOR)).doubleValue();
    }

    public double momentum() {
        return ((Number) get(Hyperparameter.MOMENTUM)).doubleValue();
    }

    /** Units of each hidden head layer: {@code head_units}, or {@code modelHidden} when the study does not name it. */
    public int headUnits(int modelHidden) {
        return values.containsKey(Hyperparameter.HEAD_UNITS.key())
                ? ((Number) values.get(Hyperparameter.HEAD_UNITS.key())).intValue() : modelHidden;
    }

    /** Hidden head layers: {@code head_layers} (default 1), none when the head has no units. */
    public int headLayers(int modelHidden) {
        return headUnits(modelHidden) == 0 ? 0 : ((Number) get(Hyperparameter.HEAD_LAYERS)).intValue();
    }

    public LrSchedule lrSchedule() {
        return LrSchedule.parse((String) get(Hyperparameter.LR_SCHEDULE)).orElseThrow();
    }

    /** The augmentation: the {@code augment} preset, with each {@code augment_*} the study names in its place. */
    public Augmentation augmentation() {
        Augmentation preset = Augmentation.Preset.parse((String) get(Hyperparameter.AUGMENT)).orElseThrow().settings();
        return new Augmentation(
                override(Hyperparameter.AUGMENT_FLIP, preset.flip()),
                override(Hyperparameter.AUGMENT_ROTATION, preset.rotation()),
                override(Hyperparameter.AUGMENT_ZOOM, preset.zoom()),
                override(Hyperparameter.AUGMENT_BRIGHTNESS, preset.brightness()));
    }

    private double override(Hyperparameter h, double preset) {
        return values.containsKey(h.key()) ? ((Number) values.get(h.key())).doubleValue() : preset;
    }

    public double weightDecay() {
        return ((Number) get(Hyperparameter.WEIGHT_DECAY)).doubleValue();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(format(v)));
        return b.toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) < 1e-2 && d != 0 ? String.format(java.util.Locale.ROOT, "%.2e", d)
                    : String.format(java.util.Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v);
    }
}
