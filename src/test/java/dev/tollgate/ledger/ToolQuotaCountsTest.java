package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.pricing.ToolQuota;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A free daily tool quota counted in the ledger is one count for every replica and restart. */
class ToolQuotaCountsTest {
  @TempDir Path dir;
  static final LocalDate DAY = LocalDate.parse("2026-12-01");

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void twoReplicasShareOneCountPerDayModelAndTool(String backend) throws Exception {
    try (TestLedgers ledgers = new TestLedgers()) {
      LedgerConfig config = ledgers.config(backend);
      try (Database db = Database.open(config, dir)) {
        ToolQuota a = new ToolQuota(new ToolQuotaCounts(db.dataSource()));
        ToolQuota b = new ToolQuota(new ToolQuotaCounts(db.dataSource()));
        assertThat(a.record("gemini-2.5-pro", "google_search", DAY, 1000)).isZero();
        assertThat(b.record("gemini-2.5-pro", "google_search", DAY, 600)).isEqualTo(1000);
        assertThat(a.record("gemini-2.5-pro", "google_search", DAY, 1)).isEqualTo(1600);
        // Another day, model or tool counts apart.
        assertThat(b.record("gemini-2.5-pro", "google_search", DAY.plusDays(1), 1)).isZero();
        assertThat(b.record("gemini-2.5-flash", "google_search", DAY, 1)).isZero();
      }
      // Reopened (a restart): the day's count is still there.
      try (Database db = Database.open(config, dir)) {
        ToolQuota again = new ToolQuota(new ToolQuotaCounts(db.dataSource()));
        assertThat(again.record("gemini-2.5-pro", "google_search", DAY, 1)).isEqualTo(1601);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aStoreThatFailsFallsBackToCountingInMemory() {
    ToolQuota q =
        new ToolQuota(
            (day, model, tool, calls) -> {
              throw new java.sql.SQLException("database away");
            });
    assertThat(q.record("m", "t", DAY, 5)).isZero();
    assertThat(q.record("m", "t", DAY, 1)).isEqualTo(5);
  }
}
