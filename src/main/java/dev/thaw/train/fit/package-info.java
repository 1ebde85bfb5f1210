/**
 * One trial's fitting: folds trained epoch by epoch, evaluation, checkpoints of paused trials, and the
 * {@link dev.thaw.train.fit.TrialTrainer} API the runner calls; also {@code thaw pretrain}'s training.
 */
package dev.thaw.train.fit;
