package dev.thaw.train.fit;

import dev.thaw.study.Assignment;

/**
 * Trains and evaluates one trial. Called by the study runner on the thread that runs the trial; an implementation
 * may keep read-only state shared by all trials (the loaded data), nothing a trial changes.
 */
public interface TrialTrainer {

    /**
     * Fine-tunes the source model with {@code assignment} epoch by epoch, reporting each epoch to {@code control},
     * and stops at the next batch boundary once {@code control} asks it to.
     *
     * @throws TrialFailedException when the trial cannot load its model, throws, or diverges; the message is one line
     */
    TrialOutcome train(Assignment assignment, TrialControl control) throws TrialFailedException;

    /**
     * The scratch baseline: the same head and backbone architecture from random weights, every layer training, with
     * {@code assignment}'s other hyperparameters (its {@code unfreeze_depth} and {@code head_epochs} do not apply).
     */
    default TrialOutcome trainFromScratch(Assignment assignment, TrialControl control) throws TrialFailedException {
        throw new TrialFailedException("this trainer has no scratch baseline");
    }
}
