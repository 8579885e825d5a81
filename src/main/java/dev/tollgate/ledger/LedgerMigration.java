package dev.tollgate.ledger;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * What every Java migration of the ledger shares: a version and a description, and a run inside the
 * one transaction Flyway groups all pending migrations in ({@link Migrations}).
 */
abstract class LedgerMigration implements JavaMigration {
  private final String version;
  private final String description;

  LedgerMigration(String version, String description) {
    this.version = version;
    this.description = description;
  }

  @Override
  public final MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(version);
  }

  @Override
  public final String getDescription() {
    return description;
  }

  @Override
  public final boolean canExecuteInTransaction() {
    return true;
  }
}
