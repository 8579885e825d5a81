package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes raw call rows past the retention window (daily totals stay); checked hourly. */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final long CHECK_MS = 3_600_000;

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
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement p = conn.prepareStatement("DELETE FROM calls WHERE start_ms < ?")) {
      p.setLong(1, now - days * 86_400_000L);
      int n = p.executeUpdate();
      if (n > 0) {
        LOG.info("Ledger retention: deleted {} call rows older than {} days", n, days);
      }
    } catch (SQLException e) {
      LOG.warn("Ledger retention cleanup failed: {}", e.getMessage());
    }
  }
}
