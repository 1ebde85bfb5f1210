-- A scratch baseline: one extra trial of the same architecture from random weights, outside the search and its budget.
ALTER TABLE trial ADD COLUMN baseline BOOLEAN DEFAULT FALSE NOT NULL;
