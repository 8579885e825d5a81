-- V15 (ledger.PriceVersionsMigration): the rollups count built-in tool calls, and rollup_detail is
-- keyed by price version too, so that the FOCUS export reads it (a row there is one price point:
-- a version's rate for a key, model and tier on a day) instead of a month of raw calls. Rows
-- written before V15 count no tool calls; rollup_detail's rows of days whose calls are no longer all
-- kept carry no price version ('') and rollup_coverage.detail_from says from which day on they do.
ALTER TABLE daily_spend ADD COLUMN tool_calls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_team ADD COLUMN tool_calls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_key ADD COLUMN tool_calls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_user ADD COLUMN tool_calls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_model ADD COLUMN tool_calls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_coverage ADD COLUMN detail_from TEXT;
CREATE TABLE rollup_detail_v15 (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  project TEXT NOT NULL,
  key_name TEXT NOT NULL,
  model TEXT NOT NULL,
  service_tier TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
  price_version TEXT NOT NULL,
  requests BIGINT NOT NULL,
  unpriced_requests BIGINT NOT NULL,
  estimated_requests BIGINT NOT NULL,
  repriced_requests BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  cached_input_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  tool_calls BIGINT NOT NULL,
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, team, project, key_name, model, service_tier, provider, status, price_version)
);
