-- Pruning (issue 13). Every epoch records the objective's own value, which pruners compare. Old epochs take it from
-- the columns that hold it (accuracy or loss objectives); an F1 objective's old epochs stay unknown (NULL).
ALTER TABLE epoch_metric ADD COLUMN objective DOUBLE PRECISION;
UPDATE epoch_metric SET objective = CASE
    (SELECT s.metric FROM study s JOIN trial t ON t.study_id = s.id WHERE t.id = epoch_metric.trial_id)
    WHEN 'VAL_ACCURACY' THEN val_accuracy
    WHEN 'TEST_ACCURACY' THEN val_accuracy
    WHEN 'VAL_LOSS' THEN val_loss
    ELSE NULL END;

-- Until now a trial ended early only by a user's stop (or a study's stop cancelling it while queued), recorded PRUNED.
-- PRUNED now means the study's pruner ended it; a stop has its own state.
UPDATE trial SET state = 'STOPPED' WHERE state = 'PRUNED';

-- A PAUSED trial's checkpoint: the folder that holds it (absolute) and the epoch it holds. Set while the trial has a
-- checkpoint (paused, or thawed and not yet ended), cleared when it ends.
ALTER TABLE trial ADD COLUMN checkpoint_path VARCHAR(1024);
ALTER TABLE trial ADD COLUMN checkpoint_epoch INT;

-- Each time a trial paused at a rung, and when it thawed.
CREATE TABLE trial_pause (
    trial_id  BIGINT        NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    epoch     INT           NOT NULL,
    reason    VARCHAR(2000) NOT NULL,
    paused_at TIMESTAMP WITH TIME ZONE NOT NULL,
    thawed_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (trial_id, epoch)
);
