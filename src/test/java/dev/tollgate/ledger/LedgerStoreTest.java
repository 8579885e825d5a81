package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TokenKind;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReport;
import dev.tollgate.report.SpendReports;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same ledger behaviour on the embedded SQLite file and on PostgreSQL. */
class LedgerStoreTest {
  static final String PG = TestLedgers.PG;
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @org.junit.jupiter.api.AfterEach
  void dropSchema() throws SQLException {
    ledgers.close();
  }

  /** A ledger config for the backend; PostgreSQL gets a fresh schema so runs never collide. */
  LedgerConfig config(String backend) throws SQLException {
    return ledgers.config(backend);
  }

  static Call call(
      int i, String team, String model, BigDecimal total, PricingStatus status, Instant start) {
    return new Call(
        new Call.Request(
            "call-" + i + "-" + UUID.randomUUID(),
            start,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            model,
            null,
            i % 2 == 0,
            new Attribution(team, "p", null, "key-" + team, Map.of("env", "prod"), false)),
        new Call.Relay(200, Outcome.OK, new Timings(40_000_000, 39_000_000, 12_000_000)),
        new Call.Served(
            "api.openai.com",
            model,
            "default",
            new Usage(1000, 200, 0, 100, 40, 0, 0),
            Map.of("web_search", 1L),
            null,
            null),
        new Call.Charge(
            status,
            "m@2025-01-01",
            Cost.of(Map.of(CostComponent.INPUT, total)),
            status == PricingStatus.UNPRICED
                ? List.of(Reason.of(Reason.Kind.NO_PRICE, model))
                : List.of(),
            Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void callsAreWrittenInBatchesAndReadBackExactly(String backend) throws Exception {
    LedgerConfig config = config(backend);
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    int n = 2_500; // more than one batch
    BigDecimal tiny = new BigDecimal("0.000000137500"); // a real per-token price: 0.1375 per 1M
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        for (int i = 0; i < n; i++) {
          writer.offer(
              call(
                  i,
                  i % 3 == 0 ? "ads" : "search",
                  "gpt-4o",
                  tiny,
                  i == 7 ? PricingStatus.UNPRICED : PricingStatus.PRICED,
                  now.plusSeconds(i)));
        }
      } // close drains the queue
      LedgerReader reader = new LedgerReader(db.dataSource());
      assertThat(reader.count()).isEqualTo(n);

      Call latest = reader.recent(1).get(0);
      assertThat(latest.cost().total()).isEqualByComparingTo(tiny);
      assertThat(latest.usage()).isEqualTo(new Usage(1000, 200, 0, 100, 40, 0, 0));
      assertThat(latest.attribution().tags()).isEqualTo(Map.of("env", "prod"));
      assertThat(latest.relay().timings().totalMillis()).isEqualTo(40);
      assertThat(latest.tier()).isEqualTo(ServiceTier.DEFAULT);
      assertThat(latest.served().toolCalls()).isEqualTo(Map.of("web_search", 1L));

      SpendReports reports = new SpendReports(reader, () -> null);
      SpendReport byTeam = reports.run(SpendQuery.parse("2026-11-01", "2026-12-01", "team", null));
      assertThat(byTeam.total()).isEqualByComparingTo(tiny.multiply(BigDecimal.valueOf(n)));
      assertThat(byTeam.rows())
          .extracting(r -> r.group().get(0) + "=" + r.requests())
          .containsExactly("search=" + (n - 834), "ads=834"); // most spent first
      assertThat(byTeam.rows().stream().mapToLong(r -> r.tally().unpricedRequests()).sum())
          .isEqualTo(1);
      // Daily totals and raw rows agree (tag grouping reads raw rows).
      SpendReport byTag =
          reports.run(SpendQuery.parse("2026-11-01", "2026-12-01", "tag:env", null));
      assertThat(byTag.total()).isEqualByComparingTo(byTeam.total());
      assertThat(byTag.rows().get(0).tally().tokens(TokenKind.INPUT)).isEqualTo(800L * n);
    }
  }

  /**
   * A writer that keeps up commits SQLite rows a few at a time in small transactions (so it can
   * pause between them); 301 rows end on a part-step and a part-commit, and every row and every
   * daily total must still land exactly once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aReportPastWhatA64BitSumOfPicoDollarsHoldsIsStillExact(String backend) throws Exception {
    LedgerConfig config = config(backend);
    BigDecimal fiveMillion = new BigDecimal("5000000.000000000001");
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        for (int day = 0; day < 3; day++) {
          writer.offer(
              call(
                  day,
                  "search",
                  "gpt-4o",
                  fiveMillion,
                  PricingStatus.PRICED,
                  Instant.parse("2026-11-0" + (day + 1) + "T12:00:00Z")));
        }
      }
      LedgerReader reader = new LedgerReader(db.dataSource());
      SpendReports reports = new SpendReports(reader, () -> null);
      // $15M: 1.5e19 pico-dollars, past Long.MAX_VALUE (9.2e18), from daily totals and raw rows.
      for (String groupBy : List.of("team", "model", "", "tag:env")) {
        SpendReport r = reports.run(SpendQuery.parse("2026-11-01", "2026-12-01", groupBy, null));
        assertThat(r.total()).as(groupBy).isEqualByComparingTo("15000000.000000000003");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aCallWhoseCostCannotBeStoredIsRecordedUnpricedAndTheWriterGoesOn(String backend)
      throws Exception {
    LedgerConfig config = config(backend);
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    // $100M does not fit the ledger's pico-dollar columns: once it stopped the writer for good.
    BigDecimal absurd = new BigDecimal("100000000");
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        writer.offer(call(0, "ads", "gpt-4o", new BigDecimal("0.001"), PricingStatus.PRICED, now));
        Call bad = call(1, "ads", "gpt-4o", absurd, PricingStatus.PRICED, now.plusSeconds(1));
        writer.offer(bad);
        for (int i = 2; i < 50; i++) {
          writer.offer(
              call(
                  i,
                  "ads",
                  "gpt-4o",
                  new BigDecimal("0.001"),
                  PricingStatus.PRICED,
                  now.plusSeconds(i)));
        }
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> writer.written() == 50);
        assertThat(writer.healthy()).isTrue();
        assertThat(writer.rejected()).isZero();

        LedgerReader reader = new LedgerReader(db.dataSource());
        List<Call> stored = new java.util.ArrayList<>();
        reader.calls(
            java.time.LocalDate.parse("2026-11-20"),
            java.time.LocalDate.parse("2026-11-21"),
            stored::add);
        Call flagged =
            stored.stream().filter(c -> c.id().equals(bad.id())).findFirst().orElseThrow();
        assertThat(flagged.status()).isEqualTo(PricingStatus.UNPRICED);
        assertThat(flagged.charge().reasons())
            .extracting(Object::toString)
            .containsExactly("cost_out_of_range:100000000");
        assertThat(flagged.usage()).isEqualTo(bad.usage());
        SpendReport byTeam =
            new SpendReports(reader, () -> null)
                .run(SpendQuery.parse("2026-11-01", "2026-12-01", "team", null));
        assertThat(byTeam.total()).isEqualByComparingTo("0.049");
        assertThat(byTeam.rows().get(0).tally().unpricedRequests()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aWriterThatKeepsUpCommitsInSmallStepsAndLosesNothing(String backend) throws Exception {
    LedgerConfig config = config(backend);
    Instant day = Instant.parse("2026-11-21T08:00:00Z");
    int n = 301;
    BigDecimal each = new BigDecimal("0.000123000001");
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        for (int i = 0; i < n; i++) {
          writer.offer(
              call(i, "search", "gpt-4o-mini", each, PricingStatus.PRICED, day.plusMillis(i)));
        }
      }
      LedgerReader reader = new LedgerReader(db.dataSource());
      assertThat(reader.count()).isEqualTo(n);
      SpendReport byTeam =
          new SpendReports(reader, () -> null)
              .run(SpendQuery.parse("2026-11-21", "2026-11-22", "team", null));
      assertThat(byTeam.total()).isEqualByComparingTo(each.multiply(BigDecimal.valueOf(n)));
      assertThat(byTeam.rows())
          .singleElement()
          .satisfies(r -> assertThat(r.requests()).isEqualTo(n));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void reopeningAppliesNoMigrationTwiceAndKeepsTheData(String backend) throws Exception {
    LedgerConfig config = config(backend);
    try (Database db = Database.open(config, dir);
        LedgerWriter w = new LedgerWriter(db, config)) {
      w.offer(call(1, "search", "o3", BigDecimal.ONE, PricingStatus.PRICED, Instant.now()));
    }
    try (Database db = Database.open(config, dir)) {
      assertThat(new LedgerReader(db.dataSource()).count()).isEqualTo(1);
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          var r = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(21); // V1 to V21, each once
      }
    }
  }

  /** V2 drops the day index of a ledger created by V1; its rows are still read by day, exactly. */
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aV1LedgerIsUpgradedLosesItsDayIndexAndIsStillReadByDayAtTheBoundaries(String backend)
      throws Exception {
    LedgerConfig config = config(backend);
    try (Database db = Database.open(config, dir)) {
      // Put the database back to V1, as a ledger written by an earlier release would be.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE INDEX calls_by_day ON calls (day)");
        for (String column :
            List.of(
                "prev_status",
                "prev_price_version",
                "prev_cost_total",
                "repriced_ms",
                "provider",
                "session_id",
                "cached_audio_input_tokens",
                "duration_ms",
                "cost_duration")) {
          s.execute("ALTER TABLE calls DROP COLUMN " + column);
        }
        s.execute("ALTER TABLE daily_spend DROP COLUMN repriced_requests");
        s.execute("ALTER TABLE daily_spend DROP COLUMN duration_ms");
        s.execute("ALTER TABLE daily_spend DROP COLUMN cost_duration");
        s.execute("DROP TABLE price_history");
        s.execute("DROP TABLE price_sources");
        s.execute("DROP TABLE viewers");
        RollupsTest.dropSince12(s);
        for (String table : List.of("budgets", "budget_replicas", "budget_alerts", "tool_quota")) {
          s.execute("DROP TABLE " + table);
        }
        s.execute("DELETE FROM flyway_schema_history WHERE installed_rank > 1");
      }
      assertThat(indexes(db)).contains("calls_by_day");
    }
    List<Instant> starts =
        List.of(
            Instant.parse("2026-11-20T23:59:59.999Z"),
            Instant.parse("2026-11-21T00:00:00Z"),
            Instant.parse("2026-11-21T23:59:59.999Z"),
            Instant.parse("2026-11-22T00:00:00Z"));
    try (Database db = Database.open(config, dir)) {
      assertThat(indexes(db)).doesNotContain("calls_by_day").contains("calls_by_start");
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        for (int i = 0; i < starts.size(); i++) {
          writer.offer(
              call(i, "search", "o3", BigDecimal.ONE, PricingStatus.PRICED, starts.get(i)));
        }
      }
      List<Instant> read = new java.util.ArrayList<>();
      new LedgerReader(db.dataSource())
          .calls(
              java.time.LocalDate.parse("2026-11-21"),
              java.time.LocalDate.parse("2026-11-22"),
              c -> read.add(c.start()));
      assertThat(read).containsExactly(starts.get(1), starts.get(2));
    }
  }

  private static List<String> indexes(Database db) throws SQLException {
    List<String> names = new java.util.ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        var r = c.getMetaData().getIndexInfo(null, c.getSchema(), "calls", false, false)) {
      while (r.next()) {
        names.add(String.valueOf(r.getString("INDEX_NAME")).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return names;
  }
}
