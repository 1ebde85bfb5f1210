-- The folder the study's output.dir named for its first run, absolute, so that its kept models are found and checked
-- from any working directory (a relative output.dir names another folder from every other one).
ALTER TABLE study ADD COLUMN output_dir VARCHAR(1024);
