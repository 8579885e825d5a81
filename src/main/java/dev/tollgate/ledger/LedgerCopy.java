package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Moves a ledger to another database (SQLite to PostgreSQL as a site grows, or back): every call,
 * the daily totals and rollups, price history and sources, budgets and their alerts, tool quotas
 * viewers and virtual keys. The calls go in pages of {@value #PAGE}, each committed on its own and
 * in start order, so an interrupted copy resumes where the target's calls end (a call copied twice
 * is skipped by its id); every other table is small beside them and is replaced whole. Then each
 * table's count and sums are compared, source against target. Copy from a ledger no server is
 * writing to (stop the replicas first), or the two will differ by what arrived meanwhile.
 */
public final class LedgerCopy {
  static final int PAGE = 5_000;

  /** The tables copied whole, after the calls ({@code budget_replicas} is live state: not). */
  static final List<String> TABLES =
      List.of(
          "daily_spend",
          "rollup_team",
          "rollup_model_total",
          "rollup_key",
          "rollup_user",
          "rollup_model",
          "rollup_detail",
          "rollup_hour_team",
          "rollup_hour_model",
          "rollup_coverage",
          "price_history",
          "price_sources",
          "budgets",
          "budget_alerts",
          "tool_quota",
          "viewers",
          "virtual_keys");

  /** A table's count and sums in one ledger: what the two ledgers are compared by. */
  public record Check(String table, String measure, String source, String target) {
    public boolean same() {
      return Objects.equals(source, target);
    }
  }

  private final Database from;
  private final Database to;

  public LedgerCopy(Database from, Database to) {
    this.from = from;
    this.to = to;
  }

  /**
   * Into a partitioned PostgreSQL ledger, the source's months are made first: its history would
   * otherwise land in the default partition, which retention can only delete row by row.
   */
  private void monthsFirst() throws SQLException {
    try (Connection src = from.dataSource().getConnection();
        Connection dst = to.dataSource().getConnection()) {
      if (!CallPartitions.partitioned(dst)) {
        return;
      }
      try (Statement s = src.createStatement();
          ResultSet r = s.executeQuery("SELECT MIN(start_ms), MAX(start_ms) FROM calls")) {
        if (r.next() && r.getObject(1) != null) {
          CallPartitions.ensure(
              dst, CallPartitions.month(r.getLong(1)), CallPartitions.month(r.getLong(2)));
        }
      }
    }
  }

  /** Copies everything; {@code progress} hears a line now and then. Returns calls copied. */
  public long copy(Consumer<String> progress) throws SQLException {
    long calls = copyCalls(progress);
    for (String table : TABLES) {
      long n = copyWhole(table);
      progress.accept(String.format("%-16s %,d rows", table, n));
    }
    return calls;
  }

  private long copyCalls(Consumer<String> progress) throws SQLException {
    monthsFirst();
    long afterStart = Long.MIN_VALUE;
    try (Connection t = to.dataSource().getConnection();
        Statement s = t.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(start_ms) FROM calls")) {
      if (r.next() && r.getObject(1) != null) {
        // Resume: the last start time the target holds is read again (its calls are skipped by
        // id), since calls of one millisecond may have been split across two pages.
        afterStart = r.getLong(1) - 1;
        progress.accept("calls: resuming after " + java.time.Instant.ofEpochMilli(afterStart));
      }
    }
    long copied = 0;
    String afterId = "";
    boolean first = true;
    try (Connection src = from.dataSource().getConnection();
        Connection dst = to.dataSource().getConnection()) {
      dst.setAutoCommit(false);
      PreparedStatement insert = null;
      while (true) {
        List<List<Object>> rows = new ArrayList<>(PAGE);
        List<String> columns = new ArrayList<>();
        try (PreparedStatement p =
            src.prepareStatement(
                "SELECT * FROM calls WHERE start_ms > ? OR (start_ms = ? AND id > ?)"
                    + " ORDER BY start_ms, id LIMIT "
                    + PAGE)) {
          p.setLong(1, afterStart);
          p.setLong(2, afterStart);
          p.setString(3, afterId);
          try (ResultSet r = p.executeQuery()) {
            columns.addAll(columns(r));
            while (r.next()) {
              rows.add(row(r, columns.size()));
            }
          }
        }
        if (rows.isEmpty()) {
          break;
        }
        if (first) {
          insert = dst.prepareStatement(insertSql("calls", columns) + " ON CONFLICT DO NOTHING");
          first = false;
        }
        for (List<Object> row : rows) {
          bind(insert, row);
          insert.addBatch();
        }
        insert.executeBatch();
        dst.commit();
        List<Object> last = rows.get(rows.size() - 1);
        afterStart = ((Number) last.get(columns.indexOf("start_ms"))).longValue();
        afterId = (String) last.get(columns.indexOf("id"));
        copied += rows.size();
        if (copied % 500_000 < PAGE) {
          progress.accept(String.format("calls: %,d copied", copied));
        }
      }
      if (insert != null) {
        insert.close();
      }
    }
    progress.accept(String.format("%-16s %,d rows", "calls", copied));
    return copied;
  }

  private long copyWhole(String table) throws SQLException {
    long n = 0;
    try (Connection src = from.dataSource().getConnection();
        Connection dst = to.dataSource().getConnection();
        Statement s = src.createStatement()) {
      dst.setAutoCommit(false);
      try (Statement d = dst.createStatement()) {
        d.executeUpdate("DELETE FROM " + table);
      }
      s.setFetchSize(PAGE);
      try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
        List<String> columns = columns(r);
        try (PreparedStatement insert = dst.prepareStatement(insertSql(table, columns))) {
          while (r.next()) {
            bind(insert, row(r, columns.size()));
            insert.addBatch();
            if (++n % PAGE == 0) {
              insert.executeBatch();
            }
          }
          insert.executeBatch();
        }
      }
      dst.commit();
    }
    return n;
  }

  /** Each table's count, and the sums that matter, in both ledgers. */
  public List<Check> verify() throws SQLException {
    List<Check> out = new ArrayList<>();
    out.addAll(
        checks("calls", "COUNT(*)", "SUM(cost_total)", "SUM(input_tokens)", "SUM(output_tokens)"));
    for (String table : TABLES) {
      if (table.equals("daily_spend")
          || table.startsWith("rollup_") && !table.equals("rollup_coverage")) {
        out.addAll(checks(table, "COUNT(*)", "SUM(requests)", "SUM(cost_total)"));
      } else {
        out.addAll(checks(table, "COUNT(*)"));
      }
    }
    return out;
  }

  private List<Check> checks(String table, String... measures) throws SQLException {
    List<String> a = measure(from, table, measures);
    List<String> b = measure(to, table, measures);
    List<Check> out = new ArrayList<>();
    for (int i = 0; i < measures.length; i++) {
      out.add(new Check(table, measures[i], a.get(i), b.get(i)));
    }
    return out;
  }

  private static List<String> measure(Database db, String table, String... measures)
      throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + String.join(", ", measures) + " FROM " + table)) {
      r.next();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= measures.length; i++) {
        Object v = r.getObject(i);
        // A sum is a long in one database and a decimal in the other: compared as numbers.
        out.add(
            v == null
                ? "0"
                : new java.math.BigDecimal(v.toString()).stripTrailingZeros().toPlainString());
      }
      return out;
    }
  }

  /** A result's column names, lower-case (PostgreSQL's and SQLite's spellings alike). */
  private static List<String> columns(ResultSet r) throws SQLException {
    ResultSetMetaData m = r.getMetaData();
    List<String> columns = new ArrayList<>(m.getColumnCount());
    for (int i = 1; i <= m.getColumnCount(); i++) {
      columns.add(m.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
    }
    return columns;
  }

  /** The current row's values, as the source database gives them. */
  private static List<Object> row(ResultSet r, int columns) throws SQLException {
    List<Object> row = new ArrayList<>(columns);
    for (int i = 1; i <= columns; i++) {
      row.add(r.getObject(i));
    }
    return row;
  }

  private static String insertSql(String table, List<String> columns) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + String.join(",", Collections.nCopies(columns.size(), "?"))
        + ")";
  }

  private static void bind(PreparedStatement p, List<Object> row) throws SQLException {
    for (int i = 0; i < row.size(); i++) {
      Object v = row.get(i);
      if (v == null) {
        p.setNull(i + 1, java.sql.Types.NULL); // "unspecified": each database takes its column's
      } else if (v instanceof Integer n) {
        p.setLong(i + 1, n); // SQLite hands small BIGINTs back as Integer
      } else {
        p.setObject(i + 1, v);
      }
    }
  }
}
