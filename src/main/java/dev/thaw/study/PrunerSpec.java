package dev.thaw.study;

/**
 * The study file's {@code pruner} block: which pruner ends or pauses losing trials, and its settings.
 *
 * @param type            none (every trial runs its epochs), median, asha or hyperband
 * @param minEpochs       asha, hyperband: the first rung, in epochs (rungs at minEpochs·η^k below the study's epochs)
 * @param reductionFactor asha, hyperband: η ≥ 2; the top 1/η of a rung go on
 * @param mode            asha, hyperband: STOP ends the rest PRUNED, PAUSE pauses them (they may thaw later)
 * @param warmupEpochs    median: the first epoch at which it may prune (1: from the first epoch on)
 * @param startupTrials   median: how many trials must be COMPLETE before it prunes
 */
public record PrunerSpec(Type type, int minEpochs, int reductionFactor, Mode mode, int warmupEpochs,
                         int startupTrials) {
    /** No pruner: the default. */
    public static final PrunerSpec NONE = new PrunerSpec(Type.NONE, 1, 3, Mode.STOP, 1, 5);

    public enum Type { NONE, MEDIAN, ASHA, HYPERBAND }

    public enum Mode { STOP, PAUSE }

    public PrunerSpec {
        if (type == null || mode == null) {
            throw new IllegalArgumentException("a pruner needs a type and a mode");
        }
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be >= 1, got " + minEpochs);
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be >= 2, got " + reductionFactor);
        }
        if (warmupEpochs < 1) {
            throw new IllegalArgumentException("warmup_epochs must be >= 1, got " + warmupEpochs);
        }
        if (startupTrials < 0) {
            throw new IllegalArgumentException("startup_trials must be >= 0, got " + startupTrials);
        }
        if (mode == Mode.PAUSE && type != Type.ASHA && type != Type.HYPERBAND) {
            throw new IllegalArgumentException("mode: pause needs type asha or hyperband, got " + type);
        }
    }

    /**
     * The rungs of ASHA bracket {@code bracket}: the epochs at which a trial is compared with the others that reached
     * the same epoch, minEpochs·η^(bracket+k) for k = 0, 1, ... while below {@code epochs} (a trial that reaches
     * {@code epochs} has finished; there is nothing left to decide). Bracket 0 is plain ASHA's; Hyperband's bracket
     * b starts η^b times later. Empty when the first rung is not below {@code epochs}.
     *
     * @param epochs  the study's epochs per trial, ≥ 1
     * @param bracket ≥ 0
     * @throws IllegalArgumentException when epochs &lt; 1 or bracket &lt; 0
     */
    public java.util.List<Integer> rungs(int epochs, int bracket) {
        if (epochs < 1 || bracket < 0) {
            throw new IllegalArgumentException("rungs need epochs >= 1 and bracket >= 0, got epochs=" + epochs
                    + ", bracket=" + bracket);
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        long rung = minEpochs;
        for (int b = 0; b < bracket && rung < epochs; b++) {
            rung *= reductionFactor;
        }
        for (; rung < epochs; rung *= reductionFactor) {
            out.add((int) rung);
        }
        return java.util.List.copyOf(out);
    }

    /** Whether trials this pruner sets aside pause (and keep a checkpoint) rather than end. */
    public boolean pauses() {
        return mode == Mode.PAUSE;
    }
}
