-- The console's and `prices check`'s unpriced models of the last days (ledger.ModelsQuery) read
-- from the partial index alone: it now holds the columns the query groups and sums, so the
-- unpriced calls (about 1 % of a large ledger's) are no longer fetched row by row from the calls
-- table. Same rows as before (only unpriced calls), a few columns wider.
DROP INDEX calls_unpriced;
CREATE INDEX calls_unpriced ON calls (start_ms, model, input_tokens, output_tokens) WHERE status = 'unpriced';
