-- Console and admin-API viewers: a read-only token for one team's spend (team set) or every team's
-- (team NULL). Only the token's SHA-256 is kept; a revoked viewer keeps its row (revoked_ms set) so
-- its name is not reused by mistake.
CREATE TABLE viewers (
  name TEXT PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,
  team TEXT,
  created_ms BIGINT NOT NULL,
  revoked_ms BIGINT
);
