-- Repricing (tollgate reprice) corrects calls recorded unpriced once their model has a price. A
-- repriced row keeps what it said when it was recorded (kept on the first repricing only) and
-- when it was last repriced; daily totals count the repriced calls.
ALTER TABLE calls ADD COLUMN prev_status TEXT;
ALTER TABLE calls ADD COLUMN prev_price_version TEXT;
ALTER TABLE calls ADD COLUMN prev_cost_total BIGINT;
ALTER TABLE calls ADD COLUMN repriced_ms BIGINT;
ALTER TABLE daily_spend ADD COLUMN repriced_requests BIGINT NOT NULL DEFAULT 0;
