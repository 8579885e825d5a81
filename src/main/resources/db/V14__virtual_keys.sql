-- Virtual keys issued through the admin API or `tollgate keys new` on a shared (PostgreSQL) ledger:
-- every replica reads them, so a key issued or revoked at one holds at all. Only the SHA-256 of a
-- secret is kept. keys.yaml still declares keys too; where both name one key, the file wins.
CREATE TABLE virtual_keys (
  name TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  team TEXT NOT NULL,
  project TEXT,
  end_user TEXT,
  created TEXT NOT NULL,
  expires_ms BIGINT,
  revoked_ms BIGINT,
  updated_ms BIGINT NOT NULL
);
