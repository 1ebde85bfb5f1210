-- k-fold cross-validation: a trial's score is the folds' mean, score_spread their standard deviation.
ALTER TABLE trial ADD COLUMN score_spread DOUBLE PRECISION;

-- The validation images a finished trial's model got wrong with the most confidence, most confident first.
CREATE TABLE trial_misclassified (
    trial_id   BIGINT        NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    position   INT           NOT NULL,
    example    VARCHAR(1024) NOT NULL,
    actual     INT           NOT NULL,
    predicted  INT           NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (trial_id, position)
);
