package dev.tollgate.bench;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.CallRecord;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PricingStatus;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sustained ledger write rate: N calls offered as fast as possible, timed until all are committed. */
public final class LedgerBench {
  private static final CostBreakdown COST = new CostBreakdown(new BigDecimal("0.000123"), BigDecimal.ZERO,
      BigDecimal.ZERO, new BigDecimal("0.0004"), BigDecimal.ZERO, BigDecimal.ZERO);

  private LedgerBench() {}

  /** A typical priced chat call, number {@code i}, spread over 20 teams (also used by the JMH benchmark). */
  public static CallRecord sampleCall(String id, int i, Instant at) {
    return new CallRecord(id, at, at, "chat", "POST", "/v1/chat/completions", "mock",
        "gpt-4o-mini", "gpt-4o-mini", null, "default", 200, false, new Usage(1000, 0, 0, 100, 0, 0, 0), Map.of(),
        COST, PricingStatus.PRICED, "gpt-4o-mini@2024-07-18", List.of(), 5, 3, null,
        new Attribution("team-" + (i % 20), null, null, null, Map.of(), false), Map.of());
  }

  static double rowsPerSecond(int rows) throws Exception {
    Path dir = Files.createTempDirectory("tollgate-ledger-bench");
    LedgerConfig config = new LedgerConfig(Optional.empty(), Duration.ofMillis(100), 5000, rows + 1, 0, 2);
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
