package dev.tollgate.ledger;

import dev.tollgate.call.Dimension;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Spend grouped by dimensions over a range of days, read from the daily totals. */
final class DailyTotalsQuery {
  private DailyTotalsQuery() {}

  /**
   * @param where only the rows whose dimension has this value ("" for none)
   */
  static Map<List<String>, Tally> run(
      DataSource db,
      LocalDate from,
      LocalDate to,
      List<Dimension> groupBy,
      Map<Dimension, String> where)
      throws SQLException {
    List<String> exprs = groupBy.stream().map(DailyTotalsQuery::column).toList();
    String select = exprs.isEmpty() ? "" : String.join(", ", exprs) + ", ";
    List<Map.Entry<Dimension, String>> filters = new ArrayList<>(where.entrySet());
    StringBuilder conditions = new StringBuilder();
    for (Map.Entry<Dimension, String> f : filters) {
      conditions.append(" AND ").append(column(f.getKey())).append(" = ?");
    }
    String sql =
        "SELECT "
            + select
            + String.join(", ", DailyCounters.COLUMNS.stream().map(c -> "SUM(" + c + ")").toList())
            + " FROM daily_spend WHERE day >= ? AND day < ?"
            + conditions
            // Summed per day in SQL (a day's group fits a long), across days here: months of a
            // busy group pass what a 64-bit sum of pico-dollars holds ($9.2M).
            + " GROUP BY "
            + String.join(", ", exprs)
            + (exprs.isEmpty() ? "" : ", ")
            + "day";
    Map<List<String>, Tally> groups = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, from.toString());
      p.setString(2, to.toString());
      for (int i = 0; i < filters.size(); i++) {
        p.setString(3 + i, filters.get(i).getValue());
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          List<String> group = new ArrayList<>(exprs.size());
          for (int i = 1; i <= exprs.size(); i++) {
            group.add(blank(r.getString(i)));
          }
          Tally t = DailyCounters.read(r, exprs.size() + 1);
          if (t.requests() > 0) {
            groups.merge(java.util.Collections.unmodifiableList(group), t, Tally::add);
          }
        }
      }
    }
    return groups;
  }

  private static String column(Dimension d) {
    return switch (d) {
      case TEAM -> "team";
      case PROJECT -> "project";
      case USER -> "end_user";
      case KEY -> "key_name";
      case MODEL -> "model";
      case API -> "api";
      case SERVICE_TIER -> "service_tier";
      case DAY -> "day";
      case MONTH -> "substr(day, 1, 7)";
      // Kept on each call only: reports by them read the raw calls (SpendQuery).
      case PROVIDER, STATUS ->
          throw new IllegalArgumentException("daily totals have no " + d.label());
    };
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
