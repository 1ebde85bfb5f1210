package dev.thaw.study;

/** A comparison trial a study runs besides its search. */
public enum Baseline {
    /** None. */
    NONE,
    /**
     * The negative-transfer check: once the search holds its budget, one more trial of the same head and backbone
     * architecture from random weights, every layer training, with the best trial's other hyperparameters.
     */
    SCRATCH;

    public String key() {
        return Keys.of(this);
    }
}
