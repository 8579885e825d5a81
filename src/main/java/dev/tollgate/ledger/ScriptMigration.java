package dev.tollgate.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32;
import org.flywaydb.core.api.migration.Context;

/**
 * A Flyway migration that runs a SQL script from the classpath and then Java work SQL cannot share
 * with the writer (filling rollups through {@code Tally}, as the writer sums). Its checksum is the
 * script's, so an edit to the tables is caught like a SQL migration's; the Java part may change.
 */
abstract class ScriptMigration extends LedgerMigration {
  private final String script;

  ScriptMigration(String version, String description, String script) {
    super(version, description);
    this.script = script;
  }

  /** What runs after the script, in the same transaction. */
  abstract void after(Connection c) throws SQLException;

  @Override
  public final Integer getChecksum() {
    CRC32 crc = new CRC32();
    crc.update(text().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  @Override
  public final void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement s = c.createStatement()) {
      for (String sql : Migrations.statements(text())) {
        s.execute(sql);
      }
    }
    after(c);
  }

  private String text() {
    try (InputStream in = ScriptMigration.class.getResourceAsStream(script)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("cannot read " + script, e);
    }
  }
}
