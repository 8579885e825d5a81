-- Synced price sources keep a history, so a restart or a second replica sees the same versions:
-- one row per source, model and the moment a price (entry: provider, kind and rates as JSON) was
-- first seen. A later price adds a row; earlier rows never change.
CREATE TABLE price_history (
  source TEXT NOT NULL,
  model TEXT NOT NULL,
  effective_ms BIGINT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (source, model, effective_ms)
);
