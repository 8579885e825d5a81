-- Raw calls are read by day through start_ms (a UTC day is a start_ms range), so calls_by_start
-- serves those reads too. Keeping a second index cost every insert ~25%: the ledger benchmark
-- wrote 41,000-46,000 rows/s with it and 59,000-60,000 without.
DROP INDEX IF EXISTS calls_by_day;
