package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw call rows past the retention window (daily totals and rollups stay), in batches;
 * checked hourly.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final long CHECK_MS = 3_600_000;
  static final int BATCH = 5_000;

  private final Database db;
  private final int days;
  private long lastCheck;

  /**
   * @param days rows older than this go; 0 keeps all
   */
  Retention(Database db, int days) {
    this.db = db;
    this.days = days;
  }

  /** Runs on the writer thread between commits. */
  void expireIfDue() {
    long now = System.currentTimeMillis();
    if (days == 0 || now - lastCheck < CHECK_MS) {
      return;
    }
    lastCheck = now;
    // In batches of BATCH rows, each its own short transaction: one DELETE of a month of calls
    // would hold the ledger's write lock (SQLite) or a long transaction (PostgreSQL) for as long
    // as it ran, and the writer's commits would wait behind it.
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement p =
            conn.prepareStatement(
                "DELETE FROM calls WHERE id IN (SELECT id FROM calls WHERE start_ms < ? LIMIT "
                    + BATCH
                    + ")")) {
      long cutoff = now - days * 86_400_000L;
      long n = 0;
      int step;
      do {
        p.setLong(1, cutoff);
        step = p.executeUpdate();
        n += step;
      } while (step == BATCH);
      if (n > 0) {
        LOG.info("Ledger retention: deleted {} call rows older than {} days", n, days);
      }
    } catch (SQLException e) {
      LOG.warn("Ledger retention cleanup failed: {}", e.getMessage());
    }
  }
}
