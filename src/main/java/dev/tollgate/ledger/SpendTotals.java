package dev.tollgate.ledger;

import dev.tollgate.call.Dimension;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Spend grouped by dimensions over a range of days, read from the smallest table that holds them: a
 * rollup ({@link Rollup}) when the range lies within that rollup's coverage and every dimension
 * asked is in it, else {@code daily_spend} (by end user or API), else nothing (the caller reads the
 * raw calls: providers and statuses before the rollups' coverage, hours before the hourly one's).
 */
final class SpendTotals {
  private static final Set<Dimension> DAILY =
      EnumSet.of(
          Dimension.TEAM,
          Dimension.PROJECT,
          Dimension.USER,
          Dimension.KEY,
          Dimension.MODEL,
          Dimension.API,
          Dimension.SERVICE_TIER,
          Dimension.DAY,
          Dimension.MONTH);

  /** The first day each rollup answers for: the hourly one's may be later (V21). */
  private record Coverage(String rollups, String hours) {
    String of(Rollup r) {
      return Rollup.HOURLY.contains(r) ? hours : rollups;
    }
  }

  private static final String NONE = "9999-12-31";

  private final DataSource db;
  private volatile Coverage coverage; // read once: it never moves after the migrations

  SpendTotals(DataSource db) {
    this.db = db;
  }

  /** The table a query would read, or null when only the raw calls can answer it. */
  String source(LocalDate from, List<Dimension> groupBy, Map<Dimension, String> where)
      throws SQLException {
    Set<Dimension> asked = EnumSet.noneOf(Dimension.class);
    asked.addAll(groupBy);
    asked.addAll(where.keySet());
    Coverage covered = coverage();
    for (Rollup r : Rollup.ALL) {
      if (r.answers(asked) && from.toString().compareTo(covered.of(r)) >= 0) {
        return r.table();
      }
    }
    return DAILY.containsAll(asked) ? "daily_spend" : null;
  }

  /** The groups, or null when only the raw calls can answer ({@link #source}). */
  Map<List<String>, Tally> run(
      LocalDate from, LocalDate to, List<Dimension> groupBy, Map<Dimension, String> where)
      throws SQLException {
    String table = source(from, groupBy, where);
    if (table == null) {
      return null;
    }
    List<String> exprs = groupBy.stream().map(Rollup::column).toList();
    String select = exprs.isEmpty() ? "" : String.join(", ", exprs) + ", ";
    List<Map.Entry<Dimension, String>> filters = new ArrayList<>(where.entrySet());
    StringBuilder conditions = new StringBuilder();
    for (Map.Entry<Dimension, String> f : filters) {
      conditions.append(" AND ").append(Rollup.column(f.getKey())).append(" = ?");
    }
    try {
      return query(table, from, to, exprs, select, filters, conditions, false);
    } catch (SQLException | ArithmeticException e) {
      // A group's sum across days past what a 64-bit count of pico-dollars holds ($9.2M): SQLite
      // refuses it ("integer overflow"), PostgreSQL's numeric sum does not fit a long. Summed per
      // day in SQL instead (a day's group fits), across days here, exactly.
      return query(table, from, to, exprs, select, filters, conditions, true);
    }
  }

  private Map<List<String>, Tally> query(
      String table,
      LocalDate from,
      LocalDate to,
      List<String> exprs,
      String select,
      List<Map.Entry<Dimension, String>> filters,
      StringBuilder conditions,
      boolean perDay)
      throws SQLException {
    List<String> groupBy = new ArrayList<>(exprs);
    if (exprs.contains("hour") && !exprs.contains("day")) {
      // The same groups (an hour is within one day), in the hourly rollups' key order, so the
      // rows are summed as the index gives them: no sort of a month's rows (SQLite, 1 M calls, a
      // month by hour and model: 0.29 s -> 0.18 s).
      groupBy.add(0, "day");
    } else if (perDay) {
      groupBy.add("day");
    }
    String sql =
        "SELECT "
            + select
            + String.join(", ", DailyCounters.COLUMNS.stream().map(c -> "SUM(" + c + ")").toList())
            + " FROM "
            + table
            + " WHERE day >= ? AND day < ?"
            + conditions
            + (groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy));
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
            group.add(LedgerRows.blank(r.getString(i)));
          }
          Tally t = DailyCounters.read(r, exprs.size() + 1);
          if (t.requests() > 0) {
            groups.merge(Collections.unmodifiableList(group), t, Tally::add);
          }
        }
      }
    }
    return groups;
  }

  private Coverage coverage() throws SQLException {
    Coverage covered = coverage;
    if (covered == null) {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery("SELECT covered_from, hour_from FROM rollup_coverage WHERE id = 1")) {
        covered =
            r.next() ? new Coverage(r.getString(1), r.getString(2)) : new Coverage(NONE, NONE);
      }
      coverage = covered;
    }
    return covered;
  }
}
