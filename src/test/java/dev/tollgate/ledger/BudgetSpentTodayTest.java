package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Call;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A budget's spend reads today, like every whole day before it, from the daily totals while its
 * window goes on past today; a window that ends today reads today's calls.
 */
class BudgetSpentTodayTest {
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void todayComesFromTheDailyTotalsWhileTheWindowGoesOn(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      Instant now = Instant.now();
      LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
      Instant todayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant earlierToday = now.minusSeconds(5).isBefore(todayStart) ? now : now.minusSeconds(5);
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Instant at = i < 3 ? todayStart.minusSeconds(3600L * (i + 1)) : earlierToday;
        calls.add(call(i, at));
      }
      RollupsTest.write(db, config, calls);
      BudgetLedger budgets = new BudgetLedger(db.dataSource());
      Instant start = todayStart.minusSeconds(86_400 * 2);
      Instant later = todayStart.plusSeconds(86_400 * 10);
      long all = calls.stream().mapToLong(c -> c.cost().picoTotal()).sum();
      long todays = calls.subList(3, 6).stream().mapToLong(c -> c.cost().picoTotal()).sum();
      assertThat(all).isPositive();
      assertThat(budgets.spent("team", null, "t", start, later)).isEqualTo(all);

      // Today's calls gone from the calls table alone: a window going on past today still counts
      // them (today's totals), one that ended today does not (it reads today's calls).
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement p = c.prepareStatement("DELETE FROM calls WHERE start_ms >= ?")) {
        p.setLong(1, todayStart.toEpochMilli());
        assertThat(p.executeUpdate()).isEqualTo(3);
      }
      assertThat(budgets.spent("team", null, "t", start, later)).isEqualTo(all);
      assertThat(budgets.spent("team", null, "t", start, now.plusMillis(1)))
          .isEqualTo(all - todays);
      // A tag scope has no totals: the calls, as ever.
      assertThat(budgets.spent("tag", "env", "prod", start, later)).isEqualTo(all - todays);
    }
  }

  private static Call call(int i, Instant at) {
    Call base = RollupsTest.call(i * 3 + 1); // a priced status
    Call.Request r = base.asked();
    return new Call(
        new Call.Request(
            "s" + i,
            at,
            r.api(),
            r.method(),
            r.path(),
            r.model(),
            r.tier(),
            r.stream(),
            new Attribution("t", "p", "u", "k", Map.of("env", "prod"), false)),
        base.relay(),
        base.served(),
        base.charge());
  }
}
