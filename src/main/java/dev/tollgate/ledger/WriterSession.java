package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The ledger writer's connection and its two prepared statements, kept across commits: preparing
 * them per commit cost as much as binding a hundred rows. The connection goes back to the pool
 * after {@code maxAgeNanos} (so the pool can still retire it) or after any error.
 */
final class WriterSession implements AutoCloseable {
  private final DataSource source;
  private final long maxAgeNanos;
  private Connection conn;
  private PreparedStatement calls;
  private PreparedStatement totals;
  private long openedNanos;

  WriterSession(DataSource source, long maxAgeNanos) {
    this.source = source;
    this.maxAgeNanos = maxAgeNanos;
  }

  /** Opens the connection if there is none, or renews one older than the maximum age. */
  void ensureOpen() throws SQLException {
    if (conn != null && System.nanoTime() - openedNanos > maxAgeNanos) {
      close();
    }
    if (conn == null) {
      Connection c = source.getConnection();
      try {
        c.setAutoCommit(false);
        calls = c.prepareStatement(LedgerRows.INSERT_CALL);
        totals = c.prepareStatement(LedgerRows.UPSERT_DAILY);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      conn = c;
      openedNanos = System.nanoTime();
    }
  }

  Connection connection() {
    return conn;
  }

  PreparedStatement calls() {
    return calls;
  }

  PreparedStatement totals() {
    return totals;
  }

  /**
   * Gives the connection back (rolling back anything uncommitted); a later commit opens a new one.
   */
  @Override
  public void close() {
    if (conn == null) {
      return;
    }
    try {
      conn.rollback();
    } catch (SQLException ignored) {
      // the connection is going back to the pool (or is broken) either way
    }
    try {
      conn.close(); // closes its statements too
    } catch (SQLException ignored) {
      // a broken connection: the pool replaces it
    }
    conn = null;
    calls = null;
    totals = null;
  }
}
