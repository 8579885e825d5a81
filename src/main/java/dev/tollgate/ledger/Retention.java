package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes raw call rows past the retention window ({@code ledger.retention_days}; daily totals and
 * rollups stay): on a partitioned PostgreSQL ledger (V20) the months wholly past it are dropped
 * whole ({@link CallPartitions#dropBefore}), and the rest are deleted in batches. Run as a job
 * ({@code jobs.RetentionJob}): on one replica at a time, never on the ledger writer's thread.
 */
public final class Retention {
  static final int BATCH = 5_000;

  private final Database db;
  private final int days;

  /**
   * @param days rows older than this go; 0 keeps all
   */
  public Retention(Database db, int days) {
    this.db = db;
    this.days = days;
  }

  /** Whether there is a window at all (0 days: every row is kept). */
  public boolean enabled() {
    return days > 0;
  }

  public int days() {
    return days;
  }

  /** Deletes the rows that started before {@code now} minus the window; returns how many. */
  public long deleteExpired(Instant now) throws SQLException {
    if (days == 0) {
      return 0;
    }
    long cutoff = now.minus(Duration.ofDays(days)).toEpochMilli();
    try (Connection conn = db.dataSource().getConnection()) {
      long n = CallPartitions.partitioned(conn) ? CallPartitions.dropBefore(conn, cutoff) : 0;
      return n + deleteInBatches(conn, cutoff);
    }
  }

  private static long deleteInBatches(Connection conn, long cutoff) throws SQLException {
    // In batches of BATCH rows, each its own short transaction: one DELETE of a month of calls
    // would hold the ledger's write lock (SQLite) or a long transaction (PostgreSQL) for as long
    // as it ran, and the writer's commits would wait behind it.
    // The outer start_ms bound lets a partitioned ledger look for the ids in the months before
    // the cutoff only.
    try (PreparedStatement p =
        conn.prepareStatement(
            "DELETE FROM calls WHERE start_ms < ? AND id IN"
                + " (SELECT id FROM calls WHERE start_ms < ? LIMIT "
                + BATCH
                + ")")) {
      long n = 0;
      int step;
      do {
        p.setLong(1, cutoff);
        p.setLong(2, cutoff);
        step = p.executeUpdate();
        n += step;
      } while (step == BATCH);
      return n;
    }
  }
}
