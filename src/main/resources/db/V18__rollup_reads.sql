-- Two reads of the console's that grew with the ledger (docs/PERFORMANCE.md, issue 30).
--
-- The models across teams (ledger.Rollup.MODEL_TOTAL): what the console's top models, and any
-- report by model, tier or provider without a team, read. rollup_model holds the same totals per
-- team, so a month of it is the teams times the models times the days (324,000 rows at the bench's
-- spread) where this is the models times the days. Filled from rollup_model, whose days and
-- coverage it shares; kept by the writer and repricing like every rollup from here on.
CREATE TABLE rollup_model_total (
  day TEXT NOT NULL,
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
  tool_calls BIGINT NOT NULL,
  cost_input BIGINT NOT NULL,
  cost_cached_input BIGINT NOT NULL,
  cost_cache_write BIGINT NOT NULL,
  cost_output BIGINT NOT NULL,
  cost_reasoning BIGINT NOT NULL,
  cost_tools BIGINT NOT NULL,
  cost_duration BIGINT NOT NULL,
  cost_total BIGINT NOT NULL,
  PRIMARY KEY (day, model, service_tier, provider, status)
);
INSERT INTO rollup_model_total (day, model, service_tier, provider, status, requests,
  unpriced_requests, estimated_requests, repriced_requests, input_tokens, cached_input_tokens,
  cache_write_tokens, output_tokens, reasoning_tokens, duration_ms, tool_calls, cost_input,
  cost_cached_input, cost_cache_write, cost_output, cost_reasoning, cost_tools, cost_duration,
  cost_total)
SELECT day, model, service_tier, provider, status, SUM(requests), SUM(unpriced_requests),
  SUM(estimated_requests), SUM(repriced_requests), SUM(input_tokens), SUM(cached_input_tokens),
  SUM(cache_write_tokens), SUM(output_tokens), SUM(reasoning_tokens), SUM(duration_ms),
  SUM(tool_calls), SUM(cost_input), SUM(cost_cached_input), SUM(cost_cache_write),
  SUM(cost_output), SUM(cost_reasoning), SUM(cost_tools), SUM(cost_duration), SUM(cost_total)
FROM rollup_model GROUP BY day, model, service_tier, provider, status;

-- A key's models (the console's key -> models, and any report filtered to a key) read its own rows
-- of rollup_detail: its key begins with the day, so a month's filter on team, project and key read
-- every row of the month. No column here changes when a row's counters do, so updates stay
-- heap-only on PostgreSQL.
CREATE INDEX rollup_detail_by_key ON rollup_detail (team, project, key_name, day);
