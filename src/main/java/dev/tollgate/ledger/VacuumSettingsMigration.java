package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V17, PostgreSQL only: autovacuum visits {@code calls} after 1 % of its size in new rows instead
 * of the default 20 %. The table only grows (retention deletes in batches), and V16's index answers
 * the unpriced models from the index alone only for pages a vacuum has marked all-visible: with the
 * default, a large ledger's last days (the ones the console asks about) could wait for hours. On
 * SQLite, which has no such map, nothing to do.
 */
final class VacuumSettingsMigration implements JavaMigration {
  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("17");
  }

  @Override
  public String getDescription() {
    return "calls vacuumed as it grows";
  }

  @Override
  public Integer getChecksum() {
    return 17_001; // the statement below; change it with the statement
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    // Partitioned (V20 ran, and a test rewound to before this one): each month carries it.
    if (Database.postgres(c) && !CallPartitions.partitioned(c)) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE calls SET (autovacuum_vacuum_insert_scale_factor = 0.01)");
      }
    }
  }
}
