package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.Statement;

/**
 * V17, PostgreSQL only: autovacuum visits {@code calls} after 1 % of its size in new rows instead
 * of the default 20 %. The table only grows (retention deletes in batches), and V16's index answers
 * the unpriced models from the index alone only for pages a vacuum has marked all-visible: with the
 * default, a large ledger's last days (the ones the console asks about) could wait for hours. On
 * SQLite, which has no such map, nothing to do.
 */
final class VacuumSettingsMigration extends PostgresMigration {
  VacuumSettingsMigration() {
    super("17", "calls vacuumed as it grows", 17_001); // change the number with the statement
  }

  @Override
  void apply(Connection c) throws Exception {
    // Partitioned (V20 ran, and a test rewound to before this one): each month carries it.
    if (!CallPartitions.partitioned(c)) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE calls SET (autovacuum_vacuum_insert_scale_factor = 0.01)");
      }
    }
  }
}
