package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A transaction that reads, then writes what it read decided, on either database. On SQLite it
 * takes the write lock first ({@code BEGIN IMMEDIATE}, waiting up to {@code busy_timeout}): a
 * deferred transaction reads, then must upgrade to write, and when the ledger writer committed in
 * between SQLite refuses the upgrade at once ({@code SQLITE_BUSY}, no wait), which under load
 * failed most budget syncs. PostgreSQL's callers take their own advisory locks. Rolled back on
 * close unless committed.
 */
final class WriteTransaction implements AutoCloseable {
  private final Connection c;
  private final boolean postgres;
  private boolean done;

  private WriteTransaction(Connection c, boolean postgres) {
    this.c = c;
    this.postgres = postgres;
  }

  static WriteTransaction begin(Connection c) throws SQLException {
    boolean postgres = Database.postgres(c);
    if (postgres) {
      c.setAutoCommit(false);
    } else {
      execute(c, "BEGIN IMMEDIATE");
    }
    return new WriteTransaction(c, postgres);
  }

  boolean postgres() {
    return postgres;
  }

  void commit() throws SQLException {
    if (postgres) {
      c.commit();
    } else {
      execute(c, "COMMIT");
    }
    done = true;
  }

  @Override
  public void close() throws SQLException {
    try {
      if (!done) {
        if (postgres) {
          c.rollback();
        } else {
          execute(c, "ROLLBACK");
        }
      }
    } finally {
      if (postgres) {
        c.setAutoCommit(true);
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
