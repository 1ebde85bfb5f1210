-- Orchestration: who drives a study, stop requests, trial heartbeats and workers, reasons for pruned trials.
ALTER TABLE study ADD COLUMN driver VARCHAR(200);
ALTER TABLE study ADD COLUMN driver_heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE study ADD COLUMN stop_request VARCHAR(500);
ALTER TABLE study ADD COLUMN stop_now BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE study ADD COLUMN slots INT DEFAULT 1 NOT NULL;

ALTER TABLE trial ADD COLUMN worker VARCHAR(200);
ALTER TABLE trial ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE trial ADD COLUMN stop_request VARCHAR(500);
ALTER TABLE trial ADD COLUMN reason VARCHAR(2000);
ALTER TABLE trial ADD COLUMN attempts INT DEFAULT 0 NOT NULL;
