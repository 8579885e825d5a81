package dev.tollgate.ledger;

import java.sql.Connection;
import org.flywaydb.core.api.migration.Context;

/**
 * A Java migration that changes only a PostgreSQL ledger (its storage settings, keys or partitions,
 * which SQLite has no counterpart for); on SQLite it is recorded and does nothing. Its checksum is
 * a fixed number that its subclass changes with its statements.
 */
abstract class PostgresMigration extends LedgerMigration {
  private final int checksum;

  PostgresMigration(String version, String description, int checksum) {
    super(version, description);
    this.checksum = checksum;
  }

  /** The work, on a PostgreSQL ledger, in the migration's transaction. */
  abstract void apply(Connection c) throws Exception;

  @Override
  public final Integer getChecksum() {
    return checksum;
  }

  @Override
  public final void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    if (Database.postgres(c)) {
      apply(c);
    }
  }
}
