package dev.tollgate.ledger;

import dev.tollgate.call.Dimension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What budgets read from and share through the ledger database: spend per scope and period, each
 * replica's published holds, budgets defined through the API, and alerts fired once across
 * replicas. Storage only: the budget package decides what the numbers mean.
 */
public final class BudgetLedger {
  /** The calls column a scope kind filters on ({@code tag} filters the tags JSON). */
  private static final Map<String, String> COLUMN =
      Map.of("team", "team", "project", "project", "user", "end_user", "key", "key_name");

  private static final Map<String, Dimension> DIMENSION =
      Map.of(
          "team", Dimension.TEAM,
          "project", Dimension.PROJECT,
          "user", Dimension.USER,
          "key", Dimension.KEY);

  private final DataSource db;
  private final SpendTotals totals;

  public BudgetLedger(DataSource db) {
    this.db = db;
    this.totals = new SpendTotals(db);
  }

  /**
   * What the other live replicas hold against a budget in a period, how many they are, and the
   * allowance this replica took.
   *
   * @param heldPico their holds and settled costs not yet in the ledger
   * @param sharesPico their unused allowances
   */
  public record Others(long heldPico, long sharesPico, int replicas, long allowance) {
    /** Everything they hold: nobody else may count on it. */
    public long pico() {
      return heldPico + sharesPico;
    }
  }

  /**
   * Spend recorded in {@code [start, end)} for calls of one scope. Whole UTC days come from the
   * daily totals (cheap at any age); the rest, and any tag scope, from the raw calls. Today counts
   * as a whole day when the window goes on past it: its totals hold every call recorded so far,
   * none of which can lie past the window's end. Read from the calls, today's part of a budget grew
   * with the day's traffic and was read again at every sync, on every replica (a million calls into
   * a day, a million rows a second per budget).
   *
   * @param kind team, project, user, key or tag
   * @param tag the tag's name for a tag scope
   */
  public long spent(String kind, String tag, String value, Instant start, Instant end)
      throws SQLException {
    Instant now = Instant.now();
    Instant until = end.isBefore(now) ? end : now.plusSeconds(60); // calls start in the past
    if (kind.equals("tag")) {
      return fromCalls(kind, tag, value, start, until);
    }
    LocalDate firstFull = ceilDay(start);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate lastFull = // exclusive
        end.isBefore(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
            ? until.atZone(ZoneOffset.UTC).toLocalDate() // the window ends today or before
            : today.plusDays(1);
    if (!firstFull.isBefore(lastFull)) {
      return fromCalls(kind, tag, value, start, until);
    }
    Instant fullStart = firstFull.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant fullEnd = lastFull.atStartOfDay(ZoneOffset.UTC).toInstant();
    return fromCalls(kind, tag, value, start, fullStart)
        + fromDays(kind, value, firstFull, lastFull)
        + fromCalls(kind, tag, value, fullEnd, until);
  }

  private static LocalDate ceilDay(Instant t) {
    LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().equals(t) ? d : d.plusDays(1);
  }

  private long fromCalls(String kind, String tag, String value, Instant from, Instant to)
      throws SQLException {
    if (!from.isBefore(to)) {
      return 0;
    }
    String filter = kind.equals("tag") ? "tags LIKE ? ESCAPE '\\'" : COLUMN.get(kind) + " = ?";
    String sql =
        "SELECT COALESCE(SUM(cost_total), 0) FROM calls WHERE start_ms >= ? AND start_ms < ? AND "
            + filter;
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, from.toEpochMilli());
      p.setLong(2, to.toEpochMilli());
      p.setString(3, kind.equals("tag") ? tagPattern(tag, value) : value);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /**
   * Whole days from the smallest table that holds the budget's dimension: a team's from {@code
   * rollup_team} (a row per team, provider and status a day), not {@code daily_spend} (a row per
   * user and key a day); {@code daily_spend} for days before the rollups begin.
   */
  private long fromDays(String kind, String value, LocalDate from, LocalDate to)
      throws SQLException {
    Dimension d = DIMENSION.get(kind);
    String table = totals.source(from, List.of(), Map.of(d, value));
    String sql =
        "SELECT COALESCE(SUM(cost_total), 0) FROM "
            + (table == null ? "daily_spend" : table)
            + " WHERE day >= ? AND day < ? AND "
            + Rollup.column(d)
            + " = ?";
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, from.toString());
      p.setString(2, to.toString());
      p.setString(3, value);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** The tags column holds the ledger's JSON object: match the member as it writes it. */
  private static String tagPattern(String tag, String value) {
    String member = LedgerRows.json(Map.of(tag, value));
    String inner = member.substring(1, member.length() - 1); // "name":"value"
    return "%" + inner.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** Given what the live others hold and how many they are, this replica's allowance. */
  @FunctionalInterface
  public interface AllowanceRule {
    long allowance(long othersPico, int others);
  }

  /**
   * Reads what the live other replicas hold (holds, pending and allowances) and publishes this
   * replica's, with the allowance {@code rule} gives, in one transaction taken one replica at a
   * time per budget: allowances are then never handed out twice.
   */
  public Others publish(
      String budget,
      String replica,
      long periodStartMs,
      long held,
      long pending,
      long liveAfterMs,
      AllowanceRule rule)
      throws SQLException {
    long now = System.currentTimeMillis();
    try (Connection c = db.getConnection();
        WriteTransaction tx = WriteTransaction.begin(c)) {
      if (tx.postgres()) {
        try (PreparedStatement lock =
            c.prepareStatement("SELECT pg_advisory_xact_lock(7011, hashtext(?))")) {
          lock.setString(1, budget);
          lock.execute();
        }
      }
      Others others;
      try (PreparedStatement p = c.prepareStatement(HOLDS + " AND replica <> ?")) {
        others = holds(p, budget, periodStartMs, liveAfterMs, replica);
      }
      long allowance = rule.allowance(others.pico(), others.replicas());
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO budget_replicas (budget, replica, period_start_ms, held_pico,"
                  + " pending_pico, allowance_pico, heartbeat_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (budget, replica) DO UPDATE SET"
                  + " period_start_ms = excluded.period_start_ms, held_pico = excluded.held_pico,"
                  + " pending_pico = excluded.pending_pico,"
                  + " allowance_pico = excluded.allowance_pico,"
                  + " heartbeat_ms = excluded.heartbeat_ms")) {
        p.setString(1, budget);
        p.setString(2, replica);
        p.setLong(3, periodStartMs);
        p.setLong(4, held);
        p.setLong(5, pending);
        p.setLong(6, allowance);
        p.setLong(7, now);
        p.executeUpdate();
      }
      tx.commit();
      return new Others(others.heldPico(), others.sharesPico(), others.replicas(), allowance);
    }
  }

  private static final String HOLDS =
      "SELECT COALESCE(SUM(held_pico + pending_pico), 0), COALESCE(SUM(allowance_pico), 0),"
          + " COUNT(*) FROM budget_replicas WHERE budget = ? AND period_start_ms = ?"
          + " AND heartbeat_ms > ?";

  private static Others holds(
      PreparedStatement p, String budget, long periodStartMs, long liveAfterMs, String except)
      throws SQLException {
    p.setString(1, budget);
    p.setLong(2, periodStartMs);
    p.setLong(3, liveAfterMs);
    if (except != null) {
      p.setString(4, except);
    }
    try (ResultSet r = p.executeQuery()) {
      r.next();
      return new Others(r.getLong(1), r.getLong(2), r.getInt(3), 0);
    }
  }

  /**
   * What every live replica holds against a budget in a period, as they last published it (for
   * {@code budgets list}, which runs beside them).
   */
  public Others holds(String budget, long periodStartMs, long liveAfterMs) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(HOLDS)) {
      return holds(p, budget, periodStartMs, liveAfterMs, null);
    }
  }

  /** Removes this replica's rows (at shutdown): it holds nothing any more. */
  public void withdraw(String replica) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement("DELETE FROM budget_replicas WHERE replica = ?")) {
      p.setString(1, replica);
      p.executeUpdate();
    }
  }

  /** Budgets defined through the API: name → definition (JSON), in name order. */
  public Map<String, String> definitions() throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement("SELECT name, definition FROM budgets ORDER BY name");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.put(r.getString(1), r.getString(2));
      }
    }
    return out;
  }

  public void define(String name, String definition) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO budgets (name, definition, updated_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,"
                    + " updated_ms = excluded.updated_ms")) {
      p.setString(1, name);
      p.setString(2, definition);
      p.setLong(3, System.currentTimeMillis());
      p.executeUpdate();
    }
  }

  /** True when there was such a budget. */
  public boolean remove(String name) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement("DELETE FROM budgets WHERE name = ?")) {
      p.setString(1, name);
      return p.executeUpdate() > 0;
    }
  }

  /** The alerts budgets fired, and their webhook deliveries. */
  public AlertRecords alertRecords() {
    return new AlertRecords(db);
  }
}
