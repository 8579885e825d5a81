-- Each synced price source's last fetch: where from, when, how it went, how many models it priced
-- and which it skipped (a JSON object of model name to why), shared by every replica.
CREATE TABLE price_sources (
  source TEXT PRIMARY KEY,
  location TEXT NOT NULL,
  fetched_ms BIGINT NOT NULL,
  status TEXT NOT NULL,
  message TEXT,
  models INTEGER NOT NULL,
  skipped TEXT NOT NULL
);
