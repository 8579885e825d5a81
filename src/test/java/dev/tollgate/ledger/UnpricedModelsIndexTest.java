package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Tally;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V16: the unpriced models of a range of days are read from the partial index alone (SQLite's plan
 * says so), and say what the calls say; where the rollups cover the range, counts and tokens come
 * from them and only each model's first and last day is read from the calls, with the same answer.
 */
class UnpricedModelsIndexTest {
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @Test
  void theUnpricedModelsComeFromTheIndexAloneAndMatchTheCalls() throws Exception {
    LedgerConfig config = ledgers.config("sqlite");
    try (Database db = Database.open(config, dir)) {
      List<Call> calls = RollupsTest.calls();
      RollupsTest.write(db, config, calls);
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement p =
              c.prepareStatement("EXPLAIN QUERY PLAN " + ModelsQuery.sql(ModelsQuery.UNPRICED))) {
        p.setLong(1, 0);
        p.setLong(2, Long.MAX_VALUE);
        StringBuilder plan = new StringBuilder();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            plan.append(r.getString(4)).append('\n');
          }
        }
        assertThat(plan.toString()).contains("USING COVERING INDEX calls_unpriced");
      }
      List<UnpricedModel> models =
          new LedgerReader(db.dataSource()).unpriced(RollupsTest.FIRST, RollupsTest.END);
      List<Call> unpriced =
          calls.stream().filter(c -> c.status() == PricingStatus.UNPRICED).toList();
      assertThat(models.stream().mapToLong(UnpricedModel::calls).sum()).isEqualTo(unpriced.size());
      assertThat(models.stream().mapToLong(UnpricedModel::inputTokens).sum())
          .isEqualTo(unpriced.stream().mapToLong(c -> c.usage().input()).sum());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theRollupsAnswerAsTheCallsDoAndReadOnlyTheEdgeDays(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) { // "a" every day, several a day, cached and cache-write tokens
        calls.add(call(i, "a", i % 3, 10 + i, PricingStatus.UNPRICED));
      }
      calls.add(call(20, "b", 1, 5, PricingStatus.UNPRICED)); // one call, the middle day
      calls.add(call(21, "c", 0, 300, PricingStatus.UNPRICED)); // first and last day, not between
      calls.add(call(22, "c", 2, 7, PricingStatus.UNPRICED));
      calls.add(
          call(
              23,
              null,
              2,
              40,
              PricingStatus.UNPRICED)); // no model named: "" in the calls and the rollups alike
      calls.add(call(24, "a", 0, 1, PricingStatus.PRICED)); // earlier, but priced
      calls.add(call(25, "d", 1, 9, PricingStatus.ESTIMATED));
      RollupsTest.write(db, config, calls);
      LedgerReader reader = new LedgerReader(db.dataSource());
      for (LocalDate from : List.of(RollupsTest.FIRST, RollupsTest.FIRST.plusDays(1))) {
        List<UnpricedModel> fromCalls =
            ModelsQuery.run(db.dataSource(), from, RollupsTest.END, ModelsQuery.UNPRICED);
        assertThat(reader.unpriced(from, RollupsTest.END)).isEqualTo(fromCalls);
      }
      System.out.println(
          "DEBUG "
              + reader.totals(
                  RollupsTest.FIRST,
                  RollupsTest.END,
                  List.of(dev.tollgate.call.Dimension.MODEL, dev.tollgate.call.Dimension.DAY),
                  Map.of(dev.tollgate.call.Dimension.STATUS, "unpriced")));
      List<UnpricedModel> all = reader.unpriced(RollupsTest.FIRST, RollupsTest.END);
      assertThat(all).extracting(UnpricedModel::model).containsExactly("a", "c", "", "b");
      UnpricedModel c = all.get(1);
      assertThat(c.firstSeen()).isEqualTo(calls.get(13).start());
      assertThat(c.lastSeen()).isEqualTo(calls.get(14).start());
      assertThat(c.inputTokens()).isEqualTo(308 + 15);
      assertThat(c.outputTokens()).isEqualTo(20 + 21 + 20 + 22);

      // The middle day's calls of "a" gone from the calls alone: the counts are the rollups'
      // (the calls of the edge days give the first and last seen), so they do not move.
      try (Connection conn = db.dataSource().getConnection();
          PreparedStatement p =
              conn.prepareStatement("DELETE FROM calls WHERE model = 'a' AND id IN (?, ?)")) {
        p.setString(1, calls.get(1).id());
        p.setString(2, calls.get(4).id());
        assertThat(p.executeUpdate()).isEqualTo(2);
      }
      assertThat(reader.unpriced(RollupsTest.FIRST, RollupsTest.END).get(0).calls()).isEqualTo(12);
      assertThat(
              ModelsQuery.run(
                      db.dataSource(), RollupsTest.FIRST, RollupsTest.END, ModelsQuery.UNPRICED)
                  .get(0)
                  .calls())
          .isEqualTo(10);

      // Totals naming a model the calls of its day no longer have (repriced between the reads):
      // no answer from the rollups, so the reader reads the calls.
      Map<List<String>, Tally> stale = new HashMap<>();
      stale.put(List.of("gone", RollupsTest.FIRST.toString()), new Tally().addCounts(1, 1, 0, 0));
      assertThat(ModelsQuery.fromRollup(db.dataSource(), stale)).isNull();
    }
  }

  /** An unpriced-shaped call of a model on the n-th day of the range. */
  private static Call call(int i, String model, int day, long input, PricingStatus status) {
    Call base = RollupsTest.call(i);
    Instant at =
        RollupsTest.FIRST
            .plusDays(day)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .plusSeconds(97L * i);
    Usage usage = new Usage(input + 8, 3, 5, 20 + i, 4, 0, 0);
    return new Call(
        new Call.Request(
            "u" + i,
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            model,
            null,
            false,
            base.attribution()),
        base.relay(),
        new Call.Served("api.example.com", model, null, usage, Map.of(), null, "openai"),
        new Call.Charge(
            status,
            status == PricingStatus.UNPRICED ? null : "v@1",
            Cost.of(
                status == PricingStatus.UNPRICED
                    ? Map.of()
                    : Map.of(CostComponent.INPUT, new BigDecimal("0.000001"))),
            status == PricingStatus.UNPRICED
                ? List.of(Reason.of(Reason.Kind.NO_PRICE, String.valueOf(model)))
                : List.of(),
            Map.of()));
  }
}
