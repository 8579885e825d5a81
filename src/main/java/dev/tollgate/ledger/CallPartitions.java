package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL (V20 on), {@code calls} is partitioned by the calls' UTC start month: one table per
 * month ({@code calls_2026_12}) and a default one for any call outside them. Months are made ahead
 * ({@link #ensure}, at start and daily by {@code jobs.PartitionsJob}), so a call never waits for
 * one; a month wholly past the retention window is dropped whole ({@link #dropBefore}) instead of
 * deleted row by row. On SQLite, which has no partitions, nothing here is called.
 */
public final class CallPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(CallPartitions.class);

  /** Months made ahead of the current one: a replica may run that long without a daily run. */
  public static final int AHEAD = 2;

  static final String DEFAULT = "calls_default";

  /** A month's partition's name, both ways: calls_2026_12. */
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'calls_'uuuu_MM");

  private CallPartitions() {}

  /** A month's partition's name. */
  static String name(YearMonth month) {
    return NAME.format(month);
  }

  /** The UTC month of an instant in epoch milliseconds. */
  static YearMonth month(long epochMs) {
    return YearMonth.from(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
  }

  static long startMs(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** Whether {@code calls} is partitioned here (PostgreSQL from V20 on). */
  static boolean partitioned(Connection c) throws SQLException {
    if (!Database.postgres(c)) {
      return false;
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT 1 FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid"
                + " WHERE c.relname = 'calls' AND c.relnamespace = to_regnamespace(current_schema())")) {
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Makes the partitions of the month of {@code now} and {@link #AHEAD} after it. */
  public static void ensure(Database db, Instant now) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      if (partitioned(c)) {
        YearMonth month = month(now.toEpochMilli());
        ensure(c, month, month.plusMonths(AHEAD));
      }
    }
  }

  /**
   * Makes the partitions of every month from {@code first} to {@code last} that is missing. A month
   * whose calls already went to the default partition (a replica that ran past its months without a
   * daily run) cannot be made while they are there: it is left to the default one, with a warning,
   * and its calls are read and counted as any others.
   */
  static void ensure(Connection c, YearMonth first, YearMonth last) throws SQLException {
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      if (exists(c, name(m))) {
        continue;
      }
      // In the migration's transaction a failure is the migration's; at run time (auto-commit)
      // each month is its own statement, and one that cannot be made is warned about.
      boolean autoCommit = c.getAutoCommit();
      try (Statement s = c.createStatement()) {
        s.execute(
            // IF NOT EXISTS: replicas starting together may both find it missing.
            "CREATE TABLE IF NOT EXISTS "
                + name(m)
                + " PARTITION OF calls FOR VALUES FROM ("
                + startMs(m)
                + ") TO ("
                + startMs(m.plusMonths(1))
                + ")"
                // As V17 set on the table before it was partitioned: vacuumed per 1 % of growth,
                // so the console's index-only reads of recent calls skip the table.
                + " WITH (autovacuum_vacuum_insert_scale_factor = 0.01)");
      } catch (SQLException e) {
        if (!autoCommit) {
          throw e;
        }
        LOG.warn(
            "Ledger: the partition for {} could not be made ({}); its calls stay in {}",
            m,
            e.getMessage(),
            DEFAULT);
      }
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT 1 FROM pg_class WHERE relname = ?"
                + " AND relnamespace = to_regnamespace(current_schema())")) {
      p.setString(1, table);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /**
   * Drops the month partitions that end at or before {@code cutoffMs}; returns how many calls they
   * held. Retention's batches delete what is left before the cutoff.
   */
  static long dropBefore(Connection c, long cutoffMs) throws SQLException {
    long dropped = 0;
    for (String table : months(c)) {
      YearMonth m = YearMonth.parse(table, NAME);
      if (startMs(m.plusMonths(1)) > cutoffMs) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        long rows;
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          r.next();
          rows = r.getLong(1);
        }
        s.execute("DROP TABLE " + table);
        LOG.info("Ledger retention: dropped {} ({} calls)", table, rows);
        dropped += rows;
      }
    }
    return dropped;
  }

  /** The month partitions, oldest first. */
  static List<String> months(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " JOIN pg_class p ON p.oid = i.inhparent"
                    + " WHERE p.relname = 'calls'"
                    + " AND p.relnamespace = to_regnamespace(current_schema())"
                    + " AND c.relname ~ '^calls_[0-9]{4}_[0-9]{2}$' ORDER BY c.relname")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
