package dev.tollgate.budget;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the budget alert "forecast crosses the limit". A team spending $1 a day for the last
 * week has a month budget of $5 (forecast past it: alerted once, with the forecast) and one of
 * $1,000 (not alerted); the alert shows in {@code /admin/budgets} as a forecast alert.
 */
class BudgetForecastAlertTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static WireMockExtension hooks =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;

  private static Call dollar(int i, LocalDate day) {
    return new Call(
        new Call.Request(
            "fc-" + i,
            day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600),
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-5.4",
            null,
            false,
            new Attribution("fc", null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(20, 5)),
        new Call.Served("api.openai.com", "gpt-5.4", null, Usage.of(100, 10), Map.of(), null, null),
        new Call.Charge(
            PricingStatus.PRICED,
            "gpt-5.4@2026-03-05",
            Cost.of(Map.of(CostComponent.INPUT, BigDecimal.ONE)),
            List.of(),
            Map.of()));
  }

  @Test
  void aBudgetForecastToPassItsLimitAlertsOnce() throws Exception {
    hooks.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    Path budgets = dir.resolve("budgets.yaml");
    Files.writeString(
        budgets,
        "- {name: fc-small, scope: 'team:fc', limit_usd: 5, period: month, enforce: soft,"
            + " alerts: [forecast]}\n"
            + "- {name: fc-big, scope: 'team:fc', limit_usd: 1000, period: month, enforce: soft,"
            + " alerts: [forecast]}\n");
    String yaml =
        "data_dir: '"
            + dir
            + "'\nbudgets: {file: '"
            + budgets
            + "', sync_interval: 100ms, webhook_url: '"
            + hooks.baseUrl()
            + "/hook'}\n";
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, yaml);
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Database db = Database.open(c.ledger(), c.dataDir());
        LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
      for (int d = 1; d <= 7; d++) {
        writer.offer(dollar(d, today.minusDays(d)));
      }
      await().until(() -> writer.written() == 7);
    }
    try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9", yaml)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> hooks.verify(1, postRequestedFor(urlEqualTo("/hook"))));
      Thread.sleep(600); // several sync rounds later: still once, and nothing for fc-big
      List<LoggedRequest> sent = hooks.findAll(postRequestedFor(urlEqualTo("/hook")));
      assertThat(sent).hasSize(1);
      JsonNode alert = JSON.readTree(sent.get(0).getBodyAsString());
      assertThat(alert.path("type").asText()).isEqualTo("budget.forecast_crosses_limit");
      assertThat(alert.path("budget").asText()).isEqualTo("fc-small");
      assertThat(new BigDecimal(alert.path("forecast_usd").asText()))
          .isGreaterThan(BigDecimal.valueOf(5));
      assertThat(alert.path("forecast_basis_days").asInt()).isEqualTo(RunRate.BASIS_DAYS);

      JsonNode status =
          JSON.readTree(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(t.adminUri("/admin/budgets")).build(),
                      BodyHandlers.ofString())
                  .body());
      for (JsonNode b : status.path("budgets")) {
        assertThat(b.path("alerts").get(0).asText()).isEqualTo("forecast");
        if (b.path("name").asText().equals("fc-small")) {
          assertThat(b.at("/alerts_sent/0/kind").asText()).isEqualTo("forecast");
        } else {
          assertThat(b.path("alerts_sent")).isEmpty();
        }
      }
    }
  }
}
