package dev.tollgate.ledger;

import java.sql.Connection;

/**
 * V12, the rollups: their tables and indexes ({@code tollgate/ledger/rollups.sql}). It used to fill
 * them too; {@link PriceVersionsMigration} (V15), which gives them their last columns, now does, as
 * the filling writes every column the writer writes and Flyway runs V12 and V15 together on a
 * ledger that has neither. A Java migration still, so that its checksum (the script's) stays what
 * ledgers migrated by it recorded.
 */
final class RollupsMigration extends ScriptMigration {
  RollupsMigration() {
    super("12", "rollups", "/tollgate/ledger/rollups.sql");
  }

  @Override
  void after(Connection c) {}
}
