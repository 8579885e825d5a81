package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.PricePoint;
import dev.tollgate.call.Tally;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V15 on a ledger that V12 to V14 already migrated, and whose first day's calls retention has
 * partly deleted: {@code rollup_detail} is rebuilt keyed by price version, its rows of the whole
 * days summed again from the calls (price versions and tool calls exact, equal to the calls'), the
 * first day's rows kept with their totals and no price version, and {@code detail_from} says where
 * the exact rows begin; repricing then moves a call between price-version rows.
 */
class PriceVersionsMigrationTest {
  private static final LocalDate FIRST = RollupsTest.FIRST;
  private static final LocalDate END = RollupsTest.END;

  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void rollupDetailIsRebuiltByPriceVersionFromTheWholeDaysAndKeepsTheRest(String backend)
      throws Exception {
    LedgerConfig config = ledgers.config(backend);
    Map<String, String> totalsBefore;
    try (Database db = Database.open(config, dir)) {
      RollupsTest.write(db, config, RollupsTest.calls());
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        toV14(s);
        totalsBefore = byDay(s);
        long firstDayNoon =
            FIRST.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(43_200).toEpochMilli();
        assertThat(s.executeUpdate("DELETE FROM calls WHERE start_ms < " + firstDayNoon))
            .isPositive();
      }
    }
    try (Database db = Database.open(config, dir)) {
      LedgerReader reader = new LedgerReader(db.dataSource());
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        assertThat(byDay(s)).isEqualTo(totalsBefore); // nothing lost, nothing counted twice
        try (ResultSet r =
            s.executeQuery("SELECT covered_from, detail_from FROM rollup_coverage")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo(RollupBackfill.ALL_DAYS);
          assertThat(r.getString(2)).isEqualTo(FIRST.plusDays(1).toString());
        }
        assertThat(reader.pricePointsFrom()).isEqualTo(FIRST.plusDays(1));
        try (ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*) FROM rollup_detail WHERE day = '"
                    + FIRST
                    + "' AND price_version <> ''")) {
          r.next();
          assertThat(r.getLong(1)).isZero();
        }
      }
      assertPointsAreTheCalls(reader);

      Call before =
          RollupsTest.calls().stream()
              .filter(c -> !c.day().equals(FIRST.toString()))
              .filter(c -> "v@1".equals(c.charge().priceVersion()))
              .findFirst()
              .orElseThrow();
      new Repricings(db.dataSource())
          .apply(
              List.of(new Repricings.Change(before, RollupsTest.repriced(before, "v@2", "0.25"))));
      assertPointsAreTheCalls(reader);
    }
  }

  /** Every exact day's price points equal the kept calls summed by the same key. */
  private static void assertPointsAreTheCalls(LedgerReader reader) throws SQLException {
    List<List<String>> seen = new ArrayList<>();
    long toolCalls = 0;
    for (LocalDate day = FIRST.plusDays(1); day.isBefore(END); day = day.plusDays(1)) {
      Map<List<String>, Tally> points = new HashMap<>();
      reader.pricePoints(day, null, p -> points.put(key(p), p.tally()));
      Map<List<String>, Tally> calls = new HashMap<>();
      reader.calls(
          day,
          day.plusDays(1),
          c -> calls.computeIfAbsent(key(PricePoint.of(c)), k -> new Tally()).add(c));
      assertThat(points.keySet()).as(day.toString()).isEqualTo(calls.keySet());
      seen.addAll(points.keySet());
      calls.forEach(
          (k, t) -> {
            Tally p = points.get(k);
            assertThat(p.requests()).as(k.toString()).isEqualTo(t.requests());
            assertThat(p.toolCalls()).as(k.toString()).isEqualTo(t.toolCalls());
            assertThat(p.totalPicos()).as(k.toString()).isEqualTo(t.totalPicos());
          });
      toolCalls += calls.values().stream().mapToLong(Tally::toolCalls).sum();
    }
    assertThat(seen).anyMatch(k -> k.get(7).equals("v@1/long")).anyMatch(k -> k.get(7).isEmpty());
    assertThat(toolCalls).isPositive();
  }

  private static List<String> key(PricePoint p) {
    List<String> k = new ArrayList<>();
    for (String v :
        new String[] {
          p.provider(),
          p.team(),
          p.project(),
          p.key(),
          p.model(),
          p.tier(),
          p.status(),
          p.priceVersion()
        }) {
      k.add(v == null || v.isEmpty() ? "" : v);
    }
    return k;
  }

  /** Requests and cost per day in {@code rollup_detail}. */
  private static Map<String, String> byDay(Statement s) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (ResultSet r =
        s.executeQuery(
            "SELECT day, SUM(requests), SUM(cost_total) FROM rollup_detail GROUP BY day")) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2) + " " + r.getLong(3));
      }
    }
    return out;
  }

  /**
   * Undoes V15 (the tool-call columns, {@code detail_from}, the old {@code rollup_detail}), V16,
   * V18, V19 and V21.
   */
  private static void toV14(Statement s) throws SQLException {
    RollupsTest.undoV21(s);
    s.execute("DROP TABLE rollup_model_total"); // V18's
    if (s.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
      // V19's key, back to V12's.
      s.execute(
          "ALTER TABLE rollup_user DROP CONSTRAINT rollup_user_pkey,"
              + " ADD PRIMARY KEY (team, project, day, end_user)");
    }
    for (String t : List.of("daily_spend", "rollup_team", "rollup_key", "rollup_user")) {
      s.execute("ALTER TABLE " + t + " DROP COLUMN tool_calls");
    }
    s.execute("ALTER TABLE rollup_model DROP COLUMN tool_calls");
    s.execute("ALTER TABLE rollup_coverage DROP COLUMN detail_from");
    // The old table's rows: the new one's summed across price versions.
    List<String> key = new ArrayList<>(List.of("day"));
    Rollup detail = Rollup.DETAIL;
    detail.dims().forEach(d -> key.add(Rollup.column(d)));
    List<String> sums =
        DailyCounters.COLUMNS.stream()
            .filter(c -> !c.equals("tool_calls"))
            .map(c -> "SUM(" + c + ") AS " + c)
            .toList();
    String keys = String.join(", ", key);
    s.execute(
        "CREATE TABLE rollup_detail_v14 AS SELECT "
            + keys
            + ", "
            + String.join(", ", sums)
            + " FROM rollup_detail GROUP BY "
            + keys);
    s.execute("DROP TABLE rollup_detail");
    s.execute("ALTER TABLE rollup_detail_v14 RENAME TO rollup_detail");
    s.execute("DROP INDEX calls_unpriced"); // and V16's
    s.execute("CREATE INDEX calls_unpriced ON calls (start_ms) WHERE status = 'unpriced'");
    s.execute(
        "DELETE FROM flyway_schema_history WHERE version IN ('15', '16', '17', '18', '19', '20', '21')");
  }
}
