package dev.tollgate.ledger;

import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the rollups from the kept calls, once, when V15 gives them their last columns (V12 created
 * them; {@link PriceVersionsMigration}): inside the migration's transaction (and, on PostgreSQL,
 * under its lock), so replicas starting together fill them once and a failure leaves no half-filled
 * rollup. Retention may have deleted the oldest calls while {@code daily_spend} kept their totals:
 * the rollups cover only the days from the first whose calls are all still there ({@code
 * rollup_coverage}); reports that start earlier read {@code daily_spend} as before. Each day's
 * calls are summed through {@link Tally}, as the writer sums them, so a filled rollup and a written
 * one cannot differ.
 */
final class RollupBackfill {
  private static final Logger LOG = LoggerFactory.getLogger(RollupBackfill.class);

  /** Covers every day: a ledger with no calls yet, or one whose calls were all kept. */
  static final String ALL_DAYS = "0000-01-01";

  private RollupBackfill() {}

  /** Fills {@code rollups} over the whole days of calls kept, and records where they begin. */
  static String fill(Connection c, List<Rollup> rollups) throws SQLException {
    String from = wholeFrom(c);
    fill(c, rollups, from);
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO rollup_coverage (id, covered_from) VALUES (1, ?)")) {
      p.setString(1, from);
      p.executeUpdate();
    }
    return from;
  }

  /** V12's coverage ({@code rollup_coverage.covered_from}), or null before anything filled it. */
  static String coverage(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT covered_from FROM rollup_coverage WHERE id = 1")) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /**
   * Where a rollup added to covered ones can be filled from: the first day whose calls are all
   * kept, and not before {@code covered}.
   */
  static String wholeFrom(Connection c, String covered) throws SQLException {
    String whole = wholeFrom(c);
    return whole.compareTo(covered) > 0 ? whole : covered;
  }

  /** The first day from which every day's calls are all kept ({@link #coveredFrom}). */
  static String wholeFrom(Connection c) throws SQLException {
    return coveredFrom(
        counts(c, "SELECT day, SUM(requests) FROM daily_spend GROUP BY day"),
        counts(c, "SELECT day, COUNT(*) FROM calls GROUP BY day"));
  }

  /**
   * Adds the calls of every day from {@code from} on to {@code rollups} (empty over those days).
   */
  static void fill(Connection c, List<Rollup> rollups, String from) throws SQLException {
    TreeMap<String, Long> totals =
        counts(c, "SELECT day, SUM(requests) FROM daily_spend GROUP BY day");
    List<String> days = new ArrayList<>(totals.tailMap(from, true).keySet());
    if (days.isEmpty()) {
      return;
    }
    LOG.info(
        "Filling {} from {} days of calls ({} on); once, at this upgrade",
        rollups.stream().map(Rollup::table).toList(),
        days.size(),
        from);
    long start = System.nanoTime();
    for (String day : days) {
      fillDay(c, rollups, LocalDate.parse(day));
    }
    LOG.info("Spend rollups filled in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The first day from which every day's calls are all kept (their count equals the daily totals'
   * requests); retention deletes oldest first, so the days after it are whole too. With no whole
   * day at all, the day after the last one: the rollups then cover what is written from now on.
   */
  static String coveredFrom(TreeMap<String, Long> totals, Map<String, Long> kept) {
    if (totals.isEmpty()) {
      return ALL_DAYS;
    }
    String from = null;
    for (String day : totals.descendingKeySet()) {
      if (!totals.get(day).equals(kept.getOrDefault(day, 0L))) {
        break;
      }
      from = day;
    }
    if (from == null) {
      return LocalDate.parse(totals.lastKey()).plusDays(1).toString();
    }
    return from.equals(totals.firstKey()) ? ALL_DAYS : from;
  }

  private static TreeMap<String, Long> counts(Connection c, String sql) throws SQLException {
    TreeMap<String, Long> out = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2));
      }
    }
    return out;
  }

  private static void fillDay(Connection c, List<Rollup> rollups, LocalDate day)
      throws SQLException {
    RollupSums sums = new RollupSums(rollups);
    try (PreparedStatement p =
        c.prepareStatement("SELECT * FROM calls WHERE start_ms >= ? AND start_ms < ?")) {
      p.setFetchSize(1000);
      p.setLong(1, day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(2, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          sums.add(CallRecords.read(r));
        }
      }
    }
    sums.write(c);
  }
}
