-- Since when the study's driver holds its lease, so that a second run can say who drives the study and since when.
ALTER TABLE study ADD COLUMN driver_since TIMESTAMP WITH TIME ZONE;
