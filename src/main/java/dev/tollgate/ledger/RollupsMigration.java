package dev.tollgate.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V12, the rollups: their tables and indexes (the SQL in {@code tollgate/ledger/rollups.sql}), then
 * {@link RollupBackfill} fills them from the calls already there, in the same transaction. A Java
 * migration because the filling sums calls as the writer does ({@code Tally}), which SQL cannot
 * share; its checksum is the SQL's, so an edit to the tables is still caught.
 */
final class RollupsMigration implements JavaMigration {
  private static final String SQL = "/tollgate/ledger/rollups.sql";

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("12");
  }

  @Override
  public String getDescription() {
    return "rollups";
  }

  @Override
  public Integer getChecksum() {
    CRC32 crc = new CRC32();
    crc.update(text().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement s = context.getConnection().createStatement()) {
      for (String sql : Migrations.statements(text())) {
        s.execute(sql);
      }
    }
    RollupBackfill.fill(context.getConnection());
  }

  private static String text() {
    try (InputStream in = RollupsMigration.class.getResourceAsStream(SQL)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SQL, e);
    }
  }
}
