package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import dev.tollgate.call.Dimension;
import dev.tollgate.call.PricePoint;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Reads calls back from the ledger. Blocking JDBC: never call it on an event loop. */
public final class LedgerReader {
  private final DataSource db;
  private final SpendTotals totals;

  public LedgerReader(DataSource db) {
    this.db = db;
    this.totals = new SpendTotals(db);
  }

  public DataSource dataSource() {
    return db;
  }

  /**
   * The first day from which {@link #pricePoints} answers (before it, sum the calls); null on a
   * ledger without rollups.
   */
  public LocalDate pricePointsFrom() throws SQLException {
    return new PricePoints(db).exactFrom();
  }

  /** A day's price points from {@code rollup_detail}, only {@code team}'s when not null. */
  public void pricePoints(LocalDate day, String team, Consumer<PricePoint> each)
      throws SQLException {
    new PricePoints(db).day(day, team, each);
  }

  /** The latest calls, newest first. */
  public List<Call> recent(int limit) throws SQLException {
    return recent(CallFilter.ALL, limit);
  }

  /** The latest calls that match {@code filter}, newest first. */
  public List<Call> recent(CallFilter filter, int limit) throws SQLException {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (var e :
        new Object[][] {
          {"team = ?", filter.team()},
          {"model = ?", filter.model()},
          {"status = ?", filter.status()},
          {"api = ?", filter.api()},
          {"session_id = ?", filter.session()},
          {"start_ms >= ?", filter.from() == null ? null : filter.from().toEpochMilli()},
          {"start_ms < ?", filter.to() == null ? null : filter.to().toEpochMilli()},
          {"project = ?", filter.project()},
          {"key_name = ?", filter.key()},
          {"service_tier = ?", filter.tier()},
          {"id = ?", filter.id()}
        }) {
      if (e[1] != null) {
        where.add((String) e[0]);
        args.add(e[1]);
      }
    }
    if (filter.before() != null) { // keyset paging over (start_ms, id): no OFFSET scans
      where.add("(start_ms < ? OR (start_ms = ? AND id < ?))");
      args.add(filter.before().startMs());
      args.add(filter.before().startMs());
      args.add(filter.before().id());
    }
    String sql =
        "SELECT * FROM calls"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY start_ms DESC, id DESC LIMIT ?";
    List<Call> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      for (Object a : args) {
        p.setObject(i++, a);
      }
      p.setInt(i, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(CallRecords.read(r));
        }
      }
    }
    return out;
  }

  /** Streams the calls that started on days in [from, to), oldest first. */
  public void calls(LocalDate from, LocalDate to, Consumer<Call> each) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT * FROM calls WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms")) {
      // A call's day is the UTC date it started, so a range of days is a range of start_ms, which
      // calls_by_start serves (there is no index on day: see V2).
      p.setFetchSize(1000);
      p.setLong(1, from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(2, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          each.accept(CallRecords.read(r));
        }
      }
    }
  }

  /**
   * A page of the calls repricing reads ({@link RepricingScan}), after the call {@code
   * (afterStartMs, afterId)} ({@code Long.MIN_VALUE} and "" for the first page).
   */
  public List<Call> repricingCandidates(
      RepricingScan scan, long afterStartMs, String afterId, int limit) throws SQLException {
    return scan.page(db, afterStartMs, afterId, limit);
  }

  /**
   * The models of the calls in [from, to) still recorded unpriced, most calls first: from the
   * rollups where they cover the range (and the calls of each model's first and last day), else
   * from the calls.
   */
  public List<UnpricedModel> unpriced(LocalDate from, LocalDate to) throws SQLException {
    Map<List<String>, Tally> byDay =
        totals.run(
            from,
            to,
            List.of(Dimension.MODEL, Dimension.DAY),
            Map.of(Dimension.STATUS, PricingStatus.UNPRICED.label()));
    List<UnpricedModel> models = byDay == null ? null : ModelsQuery.fromRollup(db, byDay);
    return models != null ? models : ModelsQuery.run(db, from, to, ModelsQuery.UNPRICED);
  }

  /** The models of the calls in [from, to) priced from a price not yet confirmed by a source. */
  public List<UnpricedModel> unconfirmed(LocalDate from, LocalDate to) throws SQLException {
    return ModelsQuery.run(
        db, from, to, "status = 'estimated' AND reasons LIKE '%price_unconfirmed%'");
  }

  public long count() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM calls");
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * The totals of the days in [from, to), summed per group of {@code groupBy} values (in that
   * order; null for "none") of the rows {@code where} says ("" for none), from the smallest rollup
   * or daily-totals table that holds them ({@link SpendTotals}); null when only the raw calls can
   * answer. Fast over months: it never reads the calls.
   */
  public Map<List<String>, Tally> totals(
      LocalDate from, LocalDate to, List<Dimension> groupBy, Map<Dimension, String> where)
      throws SQLException {
    return totals.run(from, to, groupBy, where);
  }
}
