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
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention deletes the raw calls past the window in batches (more calls than three batches here),
 * keeps the newer ones, and leaves the totals and rollups whole.
 */
class RetentionTest {
  @TempDir Path dir;

  static Call call(int i, Instant at) {
    return new Call(
        new Call.Request(
            "ret-" + i,
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-5.4",
            null,
            false,
            new Attribution("t" + (i % 3), null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(10, 2)),
        new Call.Served("api.openai.com", "gpt-5.4", null, Usage.of(10, 1), Map.of(), null, null),
        new Call.Charge(
            PricingStatus.PRICED,
            "gpt-5.4@1",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal("0.001"))),
            List.of(),
            Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void oldCallsGoInBatchesAndTheTotalsStay(String backend) throws Exception {
    try (TestLedgers ledgers = new TestLedgers()) {
      LedgerConfig base = ledgers.config(backend);
      LedgerConfig config =
          new LedgerConfig(base.url(), java.time.Duration.ofMillis(50), 2000, 100_000, 0, 2);
      Instant now = Instant.now();
      Instant old = now.minus(3, ChronoUnit.DAYS);
      int oldCalls = Retention.BATCH * 3 + 17;
      try (Database db = Database.open(config, dir)) {
        try (LedgerWriter w = new LedgerWriter(db, config)) {
          for (int i = 0; i < oldCalls; i++) {
            w.offer(call(i, old.plusMillis(i)));
          }
          for (int i = 0; i < 10; i++) {
            w.offer(call(oldCalls + i, now.minusSeconds(60)));
          }
          Awaitility.await().until(() -> w.written() == oldCalls + 10);
        }
        LedgerReader reader = new LedgerReader(db.dataSource());
        LocalDate from = LocalDate.ofInstant(old, ZoneOffset.UTC).minusDays(1);
        LocalDate to = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        long before =
            reader.totals(from, to, List.of(), Map.of()).values().iterator().next().requests();
        assertThat(new Retention(db, 1).deleteExpired(Instant.now())).isEqualTo(oldCalls);
        assertThat(reader.count()).isEqualTo(10);
        assertThat(
                reader.totals(from, to, List.of(), Map.of()).values().iterator().next().requests())
            .isEqualTo(before)
            .isEqualTo(oldCalls + 10L);
        assertThat(
                reader.totals(from, to, List.of(Dimension.TEAM), Map.of()).values().stream()
                    .mapToLong(t -> t.requests())
                    .sum())
            .isEqualTo(oldCalls + 10L);
      }
    }
  }
}
