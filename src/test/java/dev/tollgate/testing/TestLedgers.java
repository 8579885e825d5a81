package dev.tollgate.testing;

import dev.tollgate.config.LedgerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Ledger configs for tests on both backends: SQLite in the test's folder, or PostgreSQL on
 * 127.0.0.1:5432 in a fresh schema dropped on close. Without PostgreSQL the test is skipped with a
 * printed reason, except under {@code CI=true}, where its absence is a failure.
 */
public final class TestLedgers implements AutoCloseable {
  public static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private String schema;

  /**
   * @param backend {@code sqlite} or {@code postgres}
   */
  public LedgerConfig config(String backend) throws SQLException {
    if (backend.equals("sqlite")) {
      return new LedgerConfig(Optional.empty(), Duration.ofMillis(50), 500, 10_000, 0, 2);
    }
    String name = "tg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
      schema = name;
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e; // CI has PostgreSQL on 127.0.0.1:5432: its absence is a failure there
      }
      System.out.println(
          "SKIPPED PostgreSQL ledger test: no server on 127.0.0.1:5432 (" + e.getMessage() + ")");
      Assumptions.abort("PostgreSQL not reachable: " + e.getMessage());
    }
    return new LedgerConfig(
        Optional.of(PG + "&currentSchema=" + name), Duration.ofMillis(50), 500, 10_000, 0, 2);
  }

  @Override
  public void close() throws SQLException {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(PG);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
      schema = null;
    }
  }
}
