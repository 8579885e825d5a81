package dev.tollgate.bench;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sustained ledger write rate: N calls offered as fast as possible, timed until all are committed.
 */
public final class LedgerBench {
  private static final Cost COST =
      Cost.of(
          Map.of(
              CostComponent.INPUT,
              new BigDecimal("0.000123"),
              CostComponent.OUTPUT,
              new BigDecimal("0.0004")));

  private LedgerBench() {}

  /**
   * A typical priced chat call, number {@code i}, spread over 20 teams (also used by the JMH
   * benchmark).
   */
  public static Call sampleCall(String id, int i, Instant at) {
    return new Call(
        new Call.Request(
            id,
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-4o-mini",
            null,
            false,
            new Attribution("team-" + (i % 20), null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, new Timings(5_000_000, 4_000_000, 3_000_000)),
        new Call.Served(
            "mock",
            "gpt-4o-mini",
            "default",
            new Usage(1000, 0, 0, 100, 0, 0, 0),
            Map.of(),
            null,
            null),
        new Call.Charge(PricingStatus.PRICED, "gpt-4o-mini@2024-07-18", COST, List.of(), Map.of()));
  }

  static double rowsPerSecond(int rows) throws Exception {
    Path dir = Files.createTempDirectory("tollgate-ledger-bench");
    LedgerConfig config =
        new LedgerConfig(Optional.empty(), Duration.ofMillis(100), 5000, rows + 1, 0, 2);
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter writer = new LedgerWriter(db, config)) {
        long start = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < rows; i++) {
          writer.offer(sampleCall("bench-" + i, i, now));
        }
        while (writer.written() < rows) {
          Thread.sleep(5);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
      }
    }
  }
}
