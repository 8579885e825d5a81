-- Background jobs that must run on one replica at a time (the scheduled reconciliation): a lease
-- per job, held by one replica and renewed while it lives; another takes it over once it lapses.
-- The last run (when, by whom, how it went, and its result as the admin API shows it) is here too,
-- so every replica answers with the same last run.
CREATE TABLE jobs (
  job TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  lease_until_ms BIGINT NOT NULL,
  last_run_ms BIGINT,
  last_run_by TEXT,
  last_outcome TEXT,
  last_result TEXT
);
