package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.testing.TestLedgers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the month-end forecast, worked by hand. At 2026-11-20 12:00 UTC the basis is the seven
 * complete days 11-13 to 11-19; team a spent $1 on each and $3 today, team b $7 on the 1st only.
 */
class ForecastsTest {
  @TempDir Path dir;

  private static Call spend(String id, String team, String day, String usd) {
    return new Call(
        new Call.Request(
            id,
            Instant.parse(day + "T08:00:00Z"),
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-5.4",
            null,
            false,
            new Attribution(team, null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(20, 5)),
        new Call.Served("api.openai.com", "gpt-5.4", null, Usage.of(10, 1), Map.of(), null, null),
        new Call.Charge(
            PricingStatus.PRICED,
            "gpt-5.4@2026-03-05",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal(usd))),
            List.of(),
            Map.of()));
  }

  @Test
  void theRunRateOfTheLastSevenCompleteDaysCarriesToTheMonthEnd() throws Exception {
    try (TestLedgers ledgers = new TestLedgers();
        Database db = Database.open(ledgers.config("sqlite"), dir);
        LedgerWriter writer = new LedgerWriter(db, ledgers.config("sqlite"))) {
      int n = 0;
      for (LocalDate d = LocalDate.parse("2026-11-13");
          d.isBefore(LocalDate.parse("2026-11-20"));
          d = d.plusDays(1)) {
        writer.offer(spend("a" + n++, "a", d.toString(), "1"));
      }
      writer.offer(spend("a-today", "a", "2026-11-20", "3"));
      writer.offer(spend("b-first", "b", "2026-11-01", "7"));
      writer.offer(spend("old", "a", "2026-10-31", "100")); // last month: neither spent nor basis
      Awaitility.await().until(() -> writer.written() == 10);

      Forecasts forecasts =
          new Forecasts(
              new SpendReports(new LedgerReader(db.dataSource()), CatalogLoader::bundled),
              (b, from, to) -> 0);
      Forecasts.Forecast f = forecasts.of(Instant.parse("2026-11-20T12:00:00Z"), null, List.of());
      assertThat(f.basisFrom()).isEqualTo(LocalDate.parse("2026-11-13"));
      assertThat(f.basisTo()).isEqualTo(LocalDate.parse("2026-11-20"));
      assertThat(f.teams()).extracting(Forecasts.Line::name).containsExactly("a", "b");
      Forecasts.Line a = f.teams().get(0);
      assertThat(a.spent()).isEqualByComparingTo("10");
      assertThat(a.dailyRate()).isEqualByComparingTo("1");
      assertThat(a.forecast()).isEqualByComparingTo("20.5"); // 10 + 1 × 10.5 days left
      assertThat(f.teams().get(1).forecast()).isEqualByComparingTo("7");
      assertThat(f.total().spent()).isEqualByComparingTo("17");
      assertThat(f.total().forecast()).isEqualByComparingTo("27.5");

      // A viewer's forecast is its team's alone.
      Forecasts.Forecast onlyB =
          forecasts.of(Instant.parse("2026-11-20T12:00:00Z"), "b", List.of());
      assertThat(onlyB.teams()).extracting(Forecasts.Line::name).containsExactly("b");
      assertThat(onlyB.total().forecast()).isEqualByComparingTo("7");
    }
  }
}
