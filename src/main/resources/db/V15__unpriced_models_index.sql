-- The unpriced models of a range (the console's prices page, `prices check`): their counts and
-- tokens come from rollup_model; the first and last second each was seen, from this index, two
-- seeks per model instead of grouping every unpriced call of the range (419 ms at p99 on
-- PostgreSQL with 100,000 of them among 10 million calls).
CREATE INDEX calls_unpriced_by_model ON calls (model, start_ms) WHERE status = 'unpriced';
