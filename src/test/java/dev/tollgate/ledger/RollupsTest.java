package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Dimension;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Tally;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TokenKind;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 30: the spend rollups. Every grouping and filter a rollup answers equals what the raw calls
 * say; repricing moves a call between status rows; the upgrade fills them from the kept calls, from
 * the first day whose calls are all still there, and earlier days read the daily totals.
 */
public class RollupsTest {
  static final LocalDate FIRST = LocalDate.parse("2026-11-29");
  static final LocalDate END = FIRST.plusDays(3);
  private static final List<Dimension> ROLLED =
      List.of(
          Dimension.TEAM,
          Dimension.PROJECT,
          Dimension.KEY,
          Dimension.MODEL,
          Dimension.SERVICE_TIER,
          Dimension.PROVIDER,
          Dimension.STATUS,
          Dimension.DAY,
          Dimension.MONTH);
  private static final List<Dimension> HOURLY =
      List.of(
          Dimension.HOUR,
          Dimension.TEAM,
          Dimension.MODEL,
          Dimension.SERVICE_TIER,
          Dimension.PROVIDER,
          Dimension.STATUS,
          Dimension.DAY,
          Dimension.MONTH);

  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchema() throws SQLException {
    ledgers.close();
  }

  public static Call call(int i) {
    String[] teams = {"search", "ads", "infra"};
    String[] projects = {"p1", null, "p2", "p3"};
    String[] keys = {"k1", "k2", null};
    String[] models = {"gpt-5.4", "o3", "claude-x", null};
    String[] tiers = {null, "flex", "priority", "batch"};
    String[] providers = {"openai", "anthropic", null};
    PricingStatus status = PricingStatus.values()[i % PricingStatus.values().length];
    BigDecimal cost =
        status == PricingStatus.UNPRICED
            ? BigDecimal.ZERO
            : new BigDecimal("0.000012345678").multiply(BigDecimal.valueOf(i + 1));
    return new Call(
        new Call.Request(
            "r" + i,
            FIRST
                .plusDays(i % 3)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .plusSeconds(60L * i),
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            models[i % models.length],
            tiers[i % tiers.length],
            false,
            new Attribution(
                teams[i % teams.length],
                projects[i % projects.length],
                "u" + (i % 5),
                keys[i % keys.length],
                Map.of(),
                false)),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(30, 5)),
        new Call.Served(
            "api.example.com",
            models[i % models.length],
            tiers[i % tiers.length],
            new Usage(100 + i, 10, 5, 50 + i, 7, 0, 0),
            i % 4 == 0 ? Map.of("web_search", 1L + i % 3) : Map.of(),
            null,
            providers[i % providers.length]),
        new Call.Charge(
            status,
            status == PricingStatus.UNPRICED ? null : i % 5 == 0 ? "v@1/long" : "v@1",
            Cost.of(Map.of(CostComponent.INPUT, cost, CostComponent.OUTPUT, cost)),
            status == PricingStatus.UNPRICED
                ? List.of(Reason.of(Reason.Kind.NO_PRICE, "m"))
                : List.of(),
            Map.of()));
  }

  static List<Call> calls() {
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      out.add(call(i));
    }
    return out;
  }

  static void write(Database db, LedgerConfig config, List<Call> calls) {
    try (LedgerWriter w = new LedgerWriter(db, config)) {
      calls.forEach(w::offer);
      Awaitility.await().until(() -> w.written() == calls.size());
    }
  }

  /** The raw calls' answer, grouped and filtered as the totals are ("" and null are "none"). */
  private static Map<List<String>, Tally> fromCalls(
      LedgerReader reader, LocalDate from, List<Dimension> groupBy, Map<Dimension, String> where)
      throws SQLException {
    Map<List<String>, Tally> out = new HashMap<>();
    reader.calls(
        from,
        END,
        c -> {
          for (Map.Entry<Dimension, String> f : where.entrySet()) {
            if (!LedgerRows.text(f.getKey().of(c)).equals(f.getValue())) {
              return;
            }
          }
          List<String> g = new ArrayList<>();
          groupBy.forEach(d -> g.add(d.of(c) == null || d.of(c).isEmpty() ? null : d.of(c)));
          out.computeIfAbsent(g, k -> new Tally()).add(c);
        });
    return out;
  }

  private static void assertSame(
      Map<List<String>, Tally> actual, Map<List<String>, Tally> expected, String what) {
    assertThat(actual.keySet()).as(what).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (k, e) -> {
          Tally a = actual.get(k);
          assertThat(a.requests()).as(what + " " + k).isEqualTo(e.requests());
          assertThat(a.unpricedRequests()).as(what + " " + k).isEqualTo(e.unpricedRequests());
          assertThat(a.estimatedRequests()).as(what + " " + k).isEqualTo(e.estimatedRequests());
          assertThat(a.repricedRequests()).as(what + " " + k).isEqualTo(e.repricedRequests());
          assertThat(a.totalPicos()).as(what + " " + k).isEqualTo(e.totalPicos());
          assertThat(a.toolCalls()).as(what + " " + k + " tool calls").isEqualTo(e.toolCalls());
          for (TokenKind t : TokenKind.values()) {
            assertThat(a.tokens(t)).as(what + " " + k + " " + t).isEqualTo(e.tokens(t));
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void everyGroupingARollupAnswersEqualsTheRawCalls(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      List<Call> calls = calls();
      write(db, config, calls);
      LedgerReader reader = new LedgerReader(db.dataSource());
      SpendTotals totals = new SpendTotals(db.dataSource());
      for (int a = 0; a < ROLLED.size(); a++) {
        for (int b = a; b < ROLLED.size(); b++) {
          List<Dimension> groupBy =
              a == b ? List.of(ROLLED.get(a)) : List.of(ROLLED.get(a), ROLLED.get(b));
          Map<Dimension, String> none = Map.of();
          String source = totals.source(FIRST, groupBy, none);
          assertThat(source).as(groupBy.toString()).startsWith("rollup_");
          assertSame(
              reader.totals(FIRST, END, groupBy, none),
              fromCalls(reader, FIRST, groupBy, none),
              groupBy.toString());
          // And filtered: one team, or the calls without a project.
          Map<Dimension, String> where = new EnumMap<>(Dimension.class);
          where.put(Dimension.TEAM, "search");
          if (!groupBy.contains(Dimension.PROJECT)) {
            where.put(Dimension.PROJECT, "");
          }
          assertSame(
              reader.totals(FIRST, END, groupBy, where),
              fromCalls(reader, FIRST, groupBy, where),
              groupBy + " where " + where);
        }
      }
      // By the hour: alone or with any of an hourly rollup's dimensions, filtered too.
      for (Dimension d : HOURLY) {
        List<Dimension> groupBy =
            d == Dimension.HOUR ? List.of(Dimension.HOUR) : List.of(Dimension.HOUR, d);
        assertThat(totals.source(FIRST, groupBy, Map.of()))
            .as(groupBy.toString())
            .isEqualTo(
                d == Dimension.MODEL || d == Dimension.SERVICE_TIER
                    ? "rollup_hour_model"
                    : "rollup_hour_team");
        assertSame(
            reader.totals(FIRST, END, groupBy, Map.of()),
            fromCalls(reader, FIRST, groupBy, Map.of()),
            groupBy.toString());
        Map<Dimension, String> one =
            d == Dimension.MODEL || d == Dimension.SERVICE_TIER
                ? Map.of(Dimension.PROVIDER, "openai")
                : Map.of(Dimension.TEAM, "search");
        assertSame(
            reader.totals(FIRST, END, groupBy, one),
            fromCalls(reader, FIRST, groupBy, one),
            groupBy + " where " + one);
      }
      assertThat(reader.totals(FIRST, END, List.of(Dimension.HOUR), Map.of()).keySet())
          .contains(List.of("2026-11-29T00:00Z"), List.of("2026-12-01T02:00Z"))
          .hasSizeGreaterThan(6);
      // An hour by project, or by team and model, is in no rollup: the raw calls answer it.
      assertThat(totals.source(FIRST, List.of(Dimension.HOUR, Dimension.PROJECT), Map.of()))
          .isNull();
      assertThat(
              totals.source(
                  FIRST, List.of(Dimension.HOUR, Dimension.MODEL), Map.of(Dimension.TEAM, "ads")))
          .isNull();
      // The smallest table that answers is the one read; APIs, and users with keys, stay on
      // daily_spend.
      assertThat(totals.source(FIRST, List.of(Dimension.TEAM), Map.of())).isEqualTo("rollup_team");
      assertThat(totals.source(FIRST, List.of(Dimension.KEY), Map.of())).isEqualTo("rollup_key");
      assertThat(totals.source(FIRST, List.of(Dimension.MODEL), Map.of()))
          .isEqualTo("rollup_model_total");
      assertThat(totals.source(FIRST, List.of(Dimension.MODEL), Map.of(Dimension.TEAM, "search")))
          .isEqualTo("rollup_model");
      assertThat(totals.source(FIRST, List.of(Dimension.KEY, Dimension.MODEL), Map.of()))
          .isEqualTo("rollup_detail");
      assertThat(
              totals.source(
                  FIRST,
                  List.of(Dimension.USER),
                  Map.of(Dimension.TEAM, "search", Dimension.PROJECT, "p1")))
          .isEqualTo("rollup_user");
      assertThat(totals.source(FIRST, List.of(Dimension.USER, Dimension.KEY), Map.of()))
          .isEqualTo("daily_spend");
      assertThat(totals.source(FIRST, List.of(Dimension.USER, Dimension.STATUS), Map.of()))
          .isNull();
      Map<Dimension, String> project = Map.of(Dimension.TEAM, "search", Dimension.PROJECT, "p1");
      assertSame(
          reader.totals(FIRST, END, List.of(Dimension.USER), project),
          fromCalls(reader, FIRST, List.of(Dimension.USER), project),
          "users of a project");

      // Budgets read whole days from the rollups too: each scope's spend equals its calls' sum.
      BudgetLedger budgets = new BudgetLedger(db.dataSource());
      java.time.Instant start = FIRST.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      java.time.Instant end = END.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      for (Call c : calls) {
        String team = c.attribution().team();
        assertThat(budgets.spent("team", null, team, start, end))
            .as("team " + team)
            .isEqualTo(
                calls.stream()
                    .filter(x -> x.attribution().team().equals(team))
                    .mapToLong(x -> x.cost().picoTotal())
                    .sum());
        String key = c.attribution().key();
        if (key != null) {
          assertThat(budgets.spent("key", null, key, start, end))
              .as("key " + key)
              .isEqualTo(
                  calls.stream()
                      .filter(x -> key.equals(x.attribution().key()))
                      .mapToLong(x -> x.cost().picoTotal())
                      .sum());
        }
      }

      // Repricing moves a call from its unpriced row to its priced one.
      Call before =
          calls.stream()
              .filter(c -> c.status() == PricingStatus.UNPRICED)
              .findFirst()
              .orElseThrow();
      Call after = repriced(before, "v@2", "0.5");
      assertThat(
              new Repricings(db.dataSource()).apply(List.of(new Repricings.Change(before, after))))
          .hasSize(1);
      for (List<Dimension> g :
          List.of(
              List.of(Dimension.STATUS),
              List.of(Dimension.TEAM, Dimension.STATUS),
              List.of(Dimension.MODEL, Dimension.STATUS),
              List.of(Dimension.HOUR, Dimension.STATUS),
              List.of(Dimension.HOUR, Dimension.MODEL),
              List.of(Dimension.KEY, Dimension.MODEL))) {
        assertSame(
            reader.totals(FIRST, END, g, Map.of()),
            fromCalls(reader, FIRST, g, Map.of()),
            "repriced " + g);
      }
    }
  }

  @Test
  void theUpgradeFillsTheRollupsFromTheFirstDayWhoseCallsAreAllKept() throws Exception {
    LedgerConfig config = ledgers.config("sqlite");
    try (Database db = Database.open(config, dir)) {
      write(db, config, calls());
      // Back to V11 (V12 on undone), as an earlier release left it, with half the first day's
      // calls expired.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        dropSince12(s);
        s.execute(
            "DELETE FROM flyway_schema_history WHERE version IN ('12', '13', '14', '15', '16', '17', '18',"
                + " '19', '20', '21')");
        long firstDayNoon =
            FIRST
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .plusSeconds(43_200)
                .toEpochMilli();
        assertThat(s.executeUpdate("DELETE FROM calls WHERE start_ms < " + firstDayNoon))
            .isPositive();
      }
    }
    try (Database db = Database.open(config, dir)) {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT covered_from FROM rollup_coverage")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo(FIRST.plusDays(1).toString());
      }
      LedgerReader reader = new LedgerReader(db.dataSource());
      SpendTotals totals = new SpendTotals(db.dataSource());
      for (List<Dimension> g :
          List.of(
              List.of(Dimension.TEAM),
              List.of(Dimension.PROVIDER, Dimension.STATUS),
              List.of(Dimension.MODEL, Dimension.SERVICE_TIER), // V18's, summed from rollup_model
              List.of(Dimension.KEY, Dimension.MODEL, Dimension.DAY))) {
        assertThat(totals.source(FIRST.plusDays(1), g, Map.of())).startsWith("rollup_");
        assertSame(
            reader.totals(FIRST.plusDays(1), END, g, Map.of()),
            fromCalls(reader, FIRST.plusDays(1), g, Map.of()),
            "filled " + g);
      }
      // By the hour too (V21), from the same day on; the first day's hours from what calls are
      // left.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT hour_from FROM rollup_coverage")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo(FIRST.plusDays(1).toString());
      }
      List<Dimension> hourly = List.of(Dimension.HOUR, Dimension.TEAM);
      assertThat(totals.source(FIRST.plusDays(1), hourly, Map.of())).isEqualTo("rollup_hour_team");
      assertSame(
          reader.totals(FIRST.plusDays(1), END, hourly, Map.of()),
          fromCalls(reader, FIRST.plusDays(1), hourly, Map.of()),
          "filled by the hour");
      assertThat(totals.source(FIRST, hourly, Map.of())).isNull();
      // The first day is not covered: its totals come from daily_spend, whole, as before.
      assertThat(totals.source(FIRST, List.of(Dimension.TEAM), Map.of())).isEqualTo("daily_spend");
      assertThat(totals.source(FIRST, List.of(Dimension.PROVIDER), Map.of())).isNull();
      long all =
          reader.totals(FIRST, END, List.of(), Map.of()).values().iterator().next().requests();
      assertThat(all).isEqualTo(150);
      // New calls go to the rollups as they are written.
      try (LedgerWriter w = new LedgerWriter(db, config)) {
        w.offer(call(1000));
        Awaitility.await().until(() -> w.written() == 1);
      }
      assertSame(
          reader.totals(FIRST.plusDays(1), END, List.of(Dimension.TEAM), Map.of()),
          fromCalls(reader, FIRST.plusDays(1), List.of(Dimension.TEAM), Map.of()),
          "after a write");
    }
  }

  /** V21 on a ledger of V20 fills the hourly rollup from the calls, on both databases. */
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theHourlyRollupIsFilledFromTheCallsAtItsUpgrade(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      write(db, config, calls());
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        undoV21(s);
        s.execute("DELETE FROM flyway_schema_history WHERE version = '21'");
      }
    }
    try (Database db = Database.open(config, dir)) {
      LedgerReader reader = new LedgerReader(db.dataSource());
      SpendTotals totals = new SpendTotals(db.dataSource());
      for (List<Dimension> g :
          List.of(
              List.of(Dimension.HOUR),
              List.of(Dimension.HOUR, Dimension.MODEL),
              List.of(Dimension.HOUR, Dimension.STATUS))) {
        assertThat(totals.source(FIRST, g, Map.of())).startsWith("rollup_hour_");
        assertSame(
            reader.totals(FIRST, END, g, Map.of()),
            fromCalls(reader, FIRST, g, Map.of()),
            "filled " + g);
      }
    }
  }

  /** {@code before} as repricing leaves it: priced at {@code version}, costing {@code usd}. */
  public static Call repriced(Call before, String version, String usd) {
    return new Call(
        before.asked(),
        before.relay(),
        before.served(),
        new Call.Charge(
            PricingStatus.PRICED,
            version,
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal(usd))),
            List.of(),
            Map.of(),
            new Call.Before(
                before.status(),
                before.charge().priceVersion(),
                before.cost().total(),
                Instant.now())));
  }

  /** Undoes V21's tables and column (its history row is the caller's). */
  static void undoV21(Statement s) throws SQLException {
    s.execute("DROP TABLE rollup_hour_team");
    s.execute("DROP TABLE rollup_hour_model");
    s.execute("ALTER TABLE rollup_coverage DROP COLUMN hour_from");
  }

  /** Undoes the schema from V12 on (tables and indexes), as a ledger of an earlier release. */
  public static void dropSince12(Statement s) throws SQLException {
    for (String t :
        List.of(
            "rollup_team",
            "rollup_model_total",
            "rollup_key",
            "rollup_user",
            "rollup_model",
            "rollup_detail",
            "rollup_hour_team",
            "rollup_hour_model",
            "rollup_coverage",
            "jobs",
            "virtual_keys")) {
      s.execute("DROP TABLE " + t);
    }
    for (String index : List.of("daily_spend_by_team", "calls_unpriced", "calls_estimated")) {
      s.execute("DROP INDEX " + index);
    }
    s.execute("ALTER TABLE daily_spend DROP COLUMN tool_calls"); // V15's
  }
}
