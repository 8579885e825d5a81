package dev.tollgate.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With reconcile.schedule: daily, the last result is on /admin/reconcile and in the gauges. */
class DailyReconcileTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static WireMockExtension openai =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void theScheduledRunIsServedOnTheAdminPortAndAsDriftGauges() throws Exception {
    stubYesterdaysBill(openai);
    HttpClient http = HttpClient.newHttpClient();
    try (RawUpstream upstream = new RawUpstream(c -> {});
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "reconcile: {schedule: daily, admin_key: sk-admin-test, first_run_after: 100ms,"
                    + " url: '"
                    + openai.baseUrl()
                    + "/v1'}")) {
      JsonNode r =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      JSON.readTree(
                          http.send(
                                  HttpRequest.newBuilder(t.adminUri("/admin/reconcile")).build(),
                                  BodyHandlers.ofString())
                              .body()),
                  j -> j.has("findings"));
      assertThat(r.get("error")).isNull();
      assertThat(r.get("drift_count").asInt()).isEqualTo(1);
      assertThat(r.at("/findings/0/model").asText()).isEqualTo("o3");
      assertThat(r.at("/findings/0/finding").asText()).isEqualTo("only_provider");
      String metrics =
          http.send(HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("tollgate_reconcile_drift_usd{model=\"o3\",provider=\"openai\"} -1.8")
          .contains("tollgate_reconcile_drift_usd{model=\"all\",provider=\"openai\"} -1.8");
    }
  }

  /** OpenAI's Costs and Usage APIs answering with yesterday's o3 bill: $1.80 the ledger lacks. */
  static void stubYesterdaysBill(WireMockExtension openai) {
    long yesterday =
        LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    String bypass =
        ReconciliationTest.page(
                ReconciliationTest.usage("o3-2025-04-16", 500_000, 100_000, false), null)
            .replace(Long.toString(ReconciliationTest.START), Long.toString(yesterday));
    String costs =
        ReconciliationTest.page(ReconciliationTest.cost("o3-2025-04-16, input", "1.80"), null)
            .replace(Long.toString(ReconciliationTest.START), Long.toString(yesterday));
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .willReturn(
                aResponse().withHeader("Content-Type", "application/json").withBody(bypass)));
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/costs"))
            .willReturn(
                aResponse().withHeader("Content-Type", "application/json").withBody(costs)));
  }
}
