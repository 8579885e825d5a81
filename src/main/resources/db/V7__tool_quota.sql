-- Built-in tool calls per UTC day, model and tool, for fees with a free daily quota (Gemini's
-- grounding): kept here so restarts and replicas share one count.
CREATE TABLE tool_quota (
  day TEXT NOT NULL,
  model TEXT NOT NULL,
  tool TEXT NOT NULL,
  calls BIGINT NOT NULL,
  PRIMARY KEY (day, model, tool)
);
