package dev.tollgate.ledger;

import dev.tollgate.call.PricePoint;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The rows of {@code rollup_detail} (V15): a day's totals per team, project, key, model, tier,
 * provider, status and price version, so one {@link PricePoint} each. What the FOCUS export reads
 * instead of the raw calls, for the days from {@link #exactFrom()} on; a row is the same sum of the
 * same calls the writer added, so its costs are the ledger's to the pico-dollar.
 */
final class PricePoints {
  private static final String COLUMNS =
      "day, provider, team, project, key_name, model, service_tier, status, price_version, "
          + String.join(", ", DailyCounters.COLUMNS);

  private final DataSource db;

  PricePoints(DataSource db) {
    this.db = db;
  }

  /**
   * The first day whose rows carry price versions and tool calls (days before it: read the calls);
   * null on a ledger without rollups.
   */
  LocalDate exactFrom() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT detail_from FROM rollup_coverage WHERE id = 1")) {
      if (!r.next() || r.getString(1) == null) {
        return null;
      }
      String day = r.getString(1);
      return day.equals(RollupBackfill.ALL_DAYS) ? LocalDate.MIN : LocalDate.parse(day);
    }
  }

  /** One day's rows, only {@code team}'s when it is not null (unordered: the export sorts them). */
  void day(LocalDate day, String team, Consumer<PricePoint> each) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM rollup_detail WHERE day = ?"
            + (team == null ? "" : " AND team = ?");
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, day.toString());
      if (team != null) {
        p.setString(2, team);
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          Tally t = DailyCounters.read(r, 10);
          if (t.requests() != 0) { // a row every call of which was repriced away
            each.accept(
                new PricePoint(
                    LedgerRows.blank(r.getString(2)),
                    LedgerRows.blank(r.getString(3)),
                    LedgerRows.blank(r.getString(4)),
                    LedgerRows.blank(r.getString(5)),
                    LedgerRows.blank(r.getString(6)),
                    LedgerRows.blank(r.getString(7)),
                    LedgerRows.blank(r.getString(8)),
                    LedgerRows.blank(r.getString(9)),
                    t));
          }
        }
      }
    }
  }
}
