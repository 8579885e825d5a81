package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.reprice.RepricerTest;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What repricing reads, on SQLite and PostgreSQL: every candidate once across pages (calls sharing
 * a start included), nothing else, and each status from its own partial index rather than the whole
 * window.
 */
class RepricingScanTest {
  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
  private static final LocalDate FROM = LocalDate.parse("2026-11-30");
  private static final LocalDate TO = LocalDate.parse("2026-12-01");
  private static final Set<Reason.Kind> PRICE_REASONS =
      Set.of(Reason.Kind.TIER_UNPRICED, Reason.Kind.BEFORE_FIRST_PRICE);

  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchema() throws SQLException {
    ledgers.close();
  }

  private static Call call(String id, Instant at, String model, PricingStatus s, Reason... why) {
    return RepricerTest.call(id, at, model, s, BigDecimal.ZERO, why);
  }

  /**
   * 2,000 priced calls, and among them: unpriced calls of two models (five sharing one start),
   * estimated ones for a tier without rates, for missing usage only, and one a day later.
   */
  private static List<Call> ledger() {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      calls.add(call("p" + i, T.plusSeconds(i), "gpt-4o-mini", PricingStatus.PRICED));
    }
    Reason noPrice = Reason.of(Reason.Kind.NO_PRICE, "x");
    for (int i = 0; i < 5; i++) {
      calls.add(
          call("u-tie-" + i, T.plusSeconds(100), "gpt-late", PricingStatus.UNPRICED, noPrice));
    }
    for (int i = 0; i < 4; i++) {
      calls.add(call("u" + i, T.plusSeconds(300 + i), "gpt-late", PricingStatus.UNPRICED, noPrice));
      calls.add(
          call("m" + i, T.plusSeconds(400 + i), "gpt-other", PricingStatus.UNPRICED, noPrice));
    }
    Reason tier = Reason.of(Reason.Kind.TIER_UNPRICED, "flex");
    Reason usage = Reason.of(Reason.Kind.USAGE_MISSING);
    for (int i = 0; i < 3; i++) {
      calls.add(call("e-tier-" + i, T.plusSeconds(500), "gpt-4o", PricingStatus.ESTIMATED, tier));
      calls.add(
          call(
              "e-both-" + i,
              T.plusSeconds(600 + i),
              "gpt-4o",
              PricingStatus.ESTIMATED,
              usage,
              tier));
      calls.add(
          call("e-usage-" + i, T.plusSeconds(700 + i), "gpt-4o", PricingStatus.ESTIMATED, usage));
    }
    calls.add(call("next-day", T.plusSeconds(86_400), "gpt-late", PricingStatus.UNPRICED, noPrice));
    return calls;
  }

  private static List<String> all(RepricingScan scan, Database db, int page) throws SQLException {
    List<String> ids = new ArrayList<>();
    long afterStart = Long.MIN_VALUE;
    String afterId = "";
    while (true) {
      List<Call> calls = scan.page(db.dataSource(), afterStart, afterId, page);
      if (calls.isEmpty()) {
        return ids;
      }
      calls.forEach(c -> ids.add(c.id()));
      afterStart = calls.get(calls.size() - 1).start().toEpochMilli();
      afterId = calls.get(calls.size() - 1).id();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void pagesReadEachCandidateOnceAndOnlyThem(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      RollupsTest.write(db, config, ledger());
      RepricingScan late =
          new RepricingScan(FROM, TO, PricingStatus.UNPRICED, "gpt-late", Set.of());
      // Pages of 2 split the five calls that share a start: none is lost or read twice.
      assertThat(all(late, db, 2))
          .containsExactly(
              "u-tie-0", "u-tie-1", "u-tie-2", "u-tie-3", "u-tie-4", "u0", "u1", "u2", "u3");
      assertThat(all(new RepricingScan(FROM, TO, PricingStatus.UNPRICED, null, Set.of()), db, 3))
          .hasSize(13);
      // Estimated for a price reason (alone or beside missing usage); missing usage alone is not
      // read.
      assertThat(
              all(new RepricingScan(FROM, TO, PricingStatus.ESTIMATED, null, PRICE_REASONS), db, 2))
          .containsExactly("e-tier-0", "e-tier-1", "e-tier-2", "e-both-0", "e-both-1", "e-both-2");
      assertThat(all(new RepricingScan(FROM, TO, PricingStatus.ESTIMATED, null, Set.of()), db, 500))
          .hasSize(9);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void eachStatusIsReadThroughItsPartialIndex(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      RollupsTest.write(db, config, ledger());
      boolean sqlite = backend.equals("sqlite");
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute(sqlite ? "ANALYZE" : "ANALYZE calls");
      }
      for (PricingStatus status : List.of(PricingStatus.UNPRICED, PricingStatus.ESTIMATED)) {
        Set<String> partial = partialIndexes(db, sqlite, status);
        assertThat(partial).as("partial indexes of %s calls", status).isNotEmpty();
        for (String model : new String[] {null, "gpt-late"}) {
          RepricingScan scan = new RepricingScan(FROM, TO, status, model, Set.of());
          String plan = plan(db, sqlite, scan);
          assertThat(partial.stream().anyMatch(plan::contains))
              .as("%s, model %s: %s", status, model, plan)
              .isTrue();
        }
      }
    }
  }

  /** The names of the indexes (PostgreSQL: and their partitions') kept for calls of {@code s}. */
  private static Set<String> partialIndexes(Database db, boolean sqlite, PricingStatus s)
      throws SQLException {
    String sql =
        sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE ?"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND indexdef LIKE ?";
    Set<String> names = new HashSet<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, "%WHERE%status%'" + s.label() + "'%");
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
    }
    return names;
  }

  private static String plan(Database db, boolean sqlite, RepricingScan scan) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p =
            c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + scan.sql())) {
      scan.bind(p, T.plusSeconds(100).toEpochMilli(), "u-tie-1", 500);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          plan.append(r.getString(sqlite ? 4 : 1)).append('\n');
        }
      }
    }
    return plan.toString();
  }
}
