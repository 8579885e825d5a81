-- The WebSocket session each turn belongs to (the upgrade's request id): a Responses or Realtime
-- socket records one row per billed turn, linked by this. '' for calls over HTTP.
ALTER TABLE calls ADD COLUMN session_id TEXT NOT NULL DEFAULT '';
-- Realtime's cached audio input, priced apart from cached text (a part of cached_input_tokens).
ALTER TABLE calls ADD COLUMN cached_audio_input_tokens BIGINT NOT NULL DEFAULT 0;
