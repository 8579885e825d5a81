package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.PricingStatus;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.LogLines;
import dev.tollgate.testing.SmallDisk;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shutting down with a store that refuses writes: the writer gives up after a bounded wait and says
 * exactly how many calls it could not record; the ones it did record stay counted once. (It used to
 * call recorded calls "not recorded", and counted each retry into the daily totals again.)
 */
class LedgerWriterShutdownTest {
  @Test
  void theShutdownCountOfUnrecordedCallsIsExact() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(2L << 20);
        LogLines log = new LogLines(LedgerWriter.class.getName())) {
      LedgerConfig config =
          new LedgerConfig(Optional.empty(), Duration.ofMillis(20), 500, 10_000, 0, 2);
      Database db = Database.open(config, disk.path().resolve("data"));
      try (db) {
        LedgerWriter writer = new LedgerWriter(db, config, 1_000_000_000L);
        BigDecimal cost = new BigDecimal("0.001234");
        for (int i = 0; i < 40; i++) {
          writer.offer(
              LedgerStoreTest.call(i, "a", "gpt-4o", cost, PricingStatus.PRICED, Instant.now()));
        }
        org.awaitility.Awaitility.await().until(() -> writer.unflushed() == 0);
        disk.fill();
        for (int i = 0; i < 30; i++) {
          writer.offer(
              LedgerStoreTest.call(i, "a", "gpt-4o", cost, PricingStatus.PRICED, Instant.now()));
        }
        writer.close();

        assertThat(writer.abandoned()).isEqualTo(30);
        assertThat(writer.written()).isEqualTo(40);
        assertThat(log.formatted())
            .anyMatch(l -> l.startsWith("Ledger closed with 30 calls not recorded"));
        disk.free();
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement();
            ResultSet r =
                s.executeQuery(
                    "SELECT (SELECT COUNT(*) FROM calls), (SELECT SUM(requests) FROM daily_spend),"
                        + " (SELECT SUM(cost_total) FROM calls),"
                        + " (SELECT SUM(cost_total) FROM daily_spend)")) {
          r.next();
          assertThat(r.getLong(1)).isEqualTo(40);
          assertThat(r.getLong(2)).isEqualTo(40);
          assertThat(r.getLong(4)).isEqualTo(r.getLong(3));
        }
      }
    }
  }
}
