-- The per-minute meter: audio a minute-metered transcription model billed (whisper-1,
-- gpt-transcribe), in milliseconds, and what it cost, in calls and in the daily totals alike.
ALTER TABLE calls ADD COLUMN duration_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN cost_duration BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_spend ADD COLUMN duration_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_spend ADD COLUMN cost_duration BIGINT NOT NULL DEFAULT 0;
