-- Who served each call: the upstream's name (or the default upstream's provider kind). Reports
-- group by it from the raw calls; calls recorded before it say ''.
ALTER TABLE calls ADD COLUMN provider TEXT NOT NULL DEFAULT '';
