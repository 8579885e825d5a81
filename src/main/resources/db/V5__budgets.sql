-- Budgets defined through the admin API or `tollgate budgets set` (budgets.yaml ones live in the
-- file). The definition is the same YAML/JSON mapping the file takes.
CREATE TABLE budgets (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  updated_ms BIGINT NOT NULL
);

-- What each replica holds against each budget, published at every sync: in-flight reservations,
-- settled costs the ledger has not committed yet, and its allowance (the share of what was free
-- that it may still reserve before its next sync; allowances are taken one replica at a time, so
-- together they never exceed what was free). Rows whose heartbeat is older than the lease are
-- ignored, so a replica that died leaves nothing reserved for longer than that.
CREATE TABLE budget_replicas (
  budget TEXT NOT NULL,
  replica TEXT NOT NULL,
  period_start_ms BIGINT NOT NULL,
  held_pico BIGINT NOT NULL,
  pending_pico BIGINT NOT NULL,
  allowance_pico BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL,
  PRIMARY KEY (budget, replica)
);

-- One row per alert threshold crossed per budget per period: the primary key makes it fire once
-- across every replica; the delivery columns record the webhook's fate.
CREATE TABLE budget_alerts (
  budget TEXT NOT NULL,
  period_start_ms BIGINT NOT NULL,
  threshold INTEGER NOT NULL,
  fired_ms BIGINT NOT NULL,
  replica TEXT NOT NULL,
  spent_pico BIGINT NOT NULL,
  limit_pico BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  delivered_ms BIGINT,
  last_error TEXT,
  PRIMARY KEY (budget, period_start_ms, threshold)
);
