package dev.tollgate.ledger;

import dev.tollgate.call.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code budget_alerts} table: each threshold a budget crossed in a period, fired once across
 * replicas (the first to record it sends it), with its webhook delivery so far.
 */
public final class AlertRecords {
  private final DataSource db;

  AlertRecords(DataSource db) {
    this.db = db;
  }

  /**
   * Claims an alert: true for the one replica (of all that try) that recorded it first, which then
   * sends it.
   */
  public boolean claim(
      String budget, long periodStartMs, int threshold, String replica, long spent, long limit)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO budget_alerts (budget, period_start_ms, threshold, fired_ms, replica,"
                    + " spent_pico, limit_pico, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)"
                    + " ON CONFLICT (budget, period_start_ms, threshold) DO NOTHING")) {
      p.setString(1, budget);
      p.setLong(2, periodStartMs);
      p.setInt(3, threshold);
      p.setLong(4, System.currentTimeMillis());
      p.setString(5, replica);
      p.setLong(6, spent);
      p.setLong(7, limit);
      return p.executeUpdate() == 1
          || retakeFalse(c, budget, periodStartMs, threshold, replica, spent);
    }
  }

  /**
   * Takes over a threshold's row that a build before the exact check recorded with its spend below
   * the threshold: that build multiplied in longs, which overflowed for limits past $92,233 and
   * fired every alert of such a budget at once, so its row would silence this period's true alert.
   * The row's own numbers show it (the forecast alert, threshold 0, never). Conditional on the row
   * as read, so one replica of all that try takes it.
   */
  private static boolean retakeFalse(
      Connection c, String budget, long periodStartMs, int threshold, String replica, long spent)
      throws SQLException {
    if (threshold <= 0) {
      return false;
    }
    long firedMs;
    long wasSpent;
    long wasLimit;
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT fired_ms, spent_pico, limit_pico FROM budget_alerts"
                + " WHERE budget = ? AND period_start_ms = ? AND threshold = ?")) {
      p.setString(1, budget);
      p.setLong(2, periodStartMs);
      p.setInt(3, threshold);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return false;
        }
        firedMs = r.getLong(1);
        wasSpent = r.getLong(2);
        wasLimit = r.getLong(3);
      }
    }
    if (Money.atLeastPercent(wasSpent, threshold, wasLimit)) {
      return false; // a true alert: fired once, as it should be
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE budget_alerts SET fired_ms = ?, spent_pico = ?, replica = ?, attempts = 0,"
                + " delivered_ms = NULL, last_error = NULL WHERE budget = ?"
                + " AND period_start_ms = ? AND threshold = ? AND fired_ms = ? AND spent_pico = ?")) {
      p.setLong(1, Math.max(System.currentTimeMillis(), firedMs + 1));
      p.setLong(2, spent);
      p.setString(3, replica);
      p.setString(4, budget);
      p.setLong(5, periodStartMs);
      p.setInt(6, threshold);
      p.setLong(7, firedMs);
      p.setLong(8, wasSpent);
      return p.executeUpdate() == 1;
    }
  }

  /** Records a webhook attempt: delivered (error null) or not yet, with why. */
  public void attempt(String budget, long periodStartMs, int threshold, int attempts, String error)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE budget_alerts SET attempts = ?, last_error = ?, delivered_ms = ?"
                    + " WHERE budget = ? AND period_start_ms = ? AND threshold = ?")) {
      p.setInt(1, attempts);
      p.setString(2, error);
      if (error == null) {
        p.setLong(3, System.currentTimeMillis());
      } else {
        p.setNull(3, java.sql.Types.BIGINT);
      }
      p.setString(4, budget);
      p.setLong(5, periodStartMs);
      p.setInt(6, threshold);
      p.executeUpdate();
    }
  }

  /**
   * An alert as recorded: when it fired, and its webhook delivery so far.
   *
   * @param deliveredMs when the webhook took it, or 0 when it has not (yet)
   * @param lastError why the last attempt failed, or null
   */
  public record SentAlert(
      int threshold,
      long firedMs,
      String replica,
      int attempts,
      long deliveredMs,
      String lastError) {}

  /** The alerts a budget fired in the period that started at {@code periodStartMs}. */
  public List<SentAlert> alerts(String budget, long periodStartMs) throws SQLException {
    List<SentAlert> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT threshold, fired_ms, replica, attempts, delivered_ms, last_error"
                    + " FROM budget_alerts WHERE budget = ? AND period_start_ms = ?"
                    + " ORDER BY threshold")) {
      p.setString(1, budget);
      p.setLong(2, periodStartMs);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new SentAlert(
                  r.getInt(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getInt(4),
                  r.getLong(5),
                  r.getString(6)));
        }
      }
    }
    return out;
  }
}
