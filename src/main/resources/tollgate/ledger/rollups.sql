-- Spend rollups (ledger.Rollup): daily totals by a few dimensions each, none by end user or tag, so
-- each stays small however much traffic a day brings (its size follows the teams, keys and models
-- in use). Written in the same transaction as the calls and moved by repricing like daily_spend;
-- filled from the kept calls when this migration runs (ledger.RollupBackfill), from the first day
-- whose calls are all still there, which rollup_coverage records: reports over earlier days read
-- daily_spend as before.
CREATE TABLE rollup_team (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
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
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, team, provider, status)
);
CREATE TABLE rollup_key (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  project TEXT NOT NULL,
  key_name TEXT NOT NULL,
  status TEXT NOT NULL,
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
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, team, project, key_name, status)
);
CREATE TABLE rollup_user (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  project TEXT NOT NULL,
  end_user TEXT NOT NULL,
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
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (team, project, day, end_user)
);
CREATE TABLE rollup_model (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  model TEXT NOT NULL,
  service_tier TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
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
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, team, model, service_tier, provider, status)
);
CREATE TABLE rollup_detail (
  day TEXT NOT NULL,
  team TEXT NOT NULL,
  project TEXT NOT NULL,
  key_name TEXT NOT NULL,
  model TEXT NOT NULL,
  service_tier TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
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
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, team, project, key_name, model, service_tier, provider, status)
);
CREATE TABLE rollup_coverage (
  id INTEGER PRIMARY KEY,
  covered_from TEXT NOT NULL
);
-- What the console asks besides the rollups: a team's rows of daily_spend (its users, its budgets'
-- whole days) without reading every team's, and the recent unpriced or estimated calls without
-- reading every call (partial indexes: only those rows are in them).
CREATE INDEX daily_spend_by_team ON daily_spend (team, day);
CREATE INDEX calls_unpriced ON calls (start_ms) WHERE status = 'unpriced';
CREATE INDEX calls_estimated ON calls (start_ms) WHERE status = 'estimated';
