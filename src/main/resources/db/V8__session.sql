-- The WebSocket session each turn belongs to (the upgrade's request id): a Responses or Realtime
-- socket records one row per billed turn, linked by this. '' for calls over HTTP.
ALTER TABLE calls ADD COLUMN session_id TEXT NOT NULL DEFAULT '';
