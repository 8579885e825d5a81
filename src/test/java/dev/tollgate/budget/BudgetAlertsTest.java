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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Budgets set through the admin API, and their alerts: once per threshold, signed, retried. */
class BudgetAlertsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "whsec-test";

  @RegisterExtension
  static WireMockExtension hooks =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  HttpResponse<String> admin(TestTollgate t, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.adminUri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void eachThresholdAlertsOnceSignedAndAFailedDeliveryIsRetriedAndRecorded() throws Exception {
    // The first delivery fails; the retry and everything after it succeed.
    hooks.stubFor(
        post(urlEqualTo("/hook"))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    hooks.stubFor(
        post(urlEqualTo("/hook"))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(204)));
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: in-file, scope: 'team:other', limit_usd: 1, period: day}\n"
            // Large enough that a threshold times its limit in pico-dollars passes a long: it
            // alerted at $0 spent while that product overflowed. Nothing is spent on it here.
            + "- {name: big, scope: 'team:alerts', limit_usd: 4000000, period: month,"
            + " enforce: soft, alerts: [50, 100, 1000]}\n");
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", BudgetEnforcementTest.ANSWER);
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "data_dir: '"
                    + dir.resolve("data")
                    + "'\nbudgets: {file: '"
                    + dir.resolve("budgets.yaml")
                    + "', sync_interval: 100ms, webhook_url: '"
                    + hooks.baseUrl()
                    + "/hook', webhook_secret: "
                    + SECRET
                    + "}")) {
      HttpResponse<String> put =
          admin(
              t,
              "PUT",
              "/admin/budgets/alerts-day",
              "{\"scope\":\"team:alerts\",\"limit_usd\":\"0.002\",\"period\":\"day\","
                  + "\"enforce\":\"soft\",\"alerts\":[50,100]}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(put.body()).contains("\"name\":\"alerts-day\"").contains("\"source\":\"api\"");
      assertThat(admin(t, "PUT", "/admin/budgets/in-file", "{}").statusCode()).isEqualTo(409);
      HttpResponse<String> bad =
          admin(t, "PUT", "/admin/budgets/x", "{\"scope\":\"team:a\",\"limit_usd\":-1}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("limit_usd");

      // Three calls at $0.00075: 75 % after two, 112.5 % after three (soft: never refused).
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
                    .header("X-Tollgate-Team", "alerts")
                    .POST(HttpRequest.BodyPublishers.ofString(BudgetEnforcementTest.BODY))
                    .build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Thread.sleep(400); // past a sync, so the 50 % alert fires between the calls
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> hooks.verify(3, postRequestedFor(urlEqualTo("/hook")))); // 50 twice, 100 once
      Thread.sleep(500); // nothing more comes: each threshold fires once
      List<LoggedRequest> sent = hooks.findAll(postRequestedFor(urlEqualTo("/hook")));
      assertThat(sent).hasSize(3);
      for (LoggedRequest r : sent) {
        assertThat(r.getHeader(Alerts.SIGNATURE)).isEqualTo(Alerts.sign(SECRET, r.getBody()));
      }
      JsonNode first = JSON.readTree(sent.get(0).getBodyAsString());
      assertThat(first.get("budget").asText()).isEqualTo("alerts-day");
      assertThat(first.get("threshold_percent").asInt()).isEqualTo(50);
      assertThat(first.get("limit_usd").asText()).isEqualTo("0.002");
      List<Integer> thresholds = new java.util.ArrayList<>();
      for (LoggedRequest r : sent) {
        thresholds.add(JSON.readTree(r.getBodyAsString()).get("threshold_percent").asInt());
      }
      assertThat(thresholds).containsExactlyInAnyOrder(50, 50, 100); // 50 % retried once

      // Deliveries are recorded: the 50 % alert took two attempts.
      try (Connection c =
              DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ledger.db"));
          ResultSet r =
              c.createStatement()
                  .executeQuery(
                      "SELECT threshold, attempts, delivered_ms IS NOT NULL FROM budget_alerts"
                          + " ORDER BY threshold")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).isEqualTo(50);
        assertThat(r.getInt(2)).isEqualTo(2);
        assertThat(r.getBoolean(3)).isTrue();
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).isEqualTo(100);
        assertThat(r.getInt(2)).isEqualTo(1);
        assertThat(r.next()).isFalse();
      }

      // ...and shown: in /admin/budgets beside the budget, and counted in the metrics.
      JsonNode status = JSON.readTree(admin(t, "GET", "/admin/budgets", null).body());
      JsonNode day = null;
      for (JsonNode b : status.get("budgets")) {
        day = b.get("name").asText().equals("alerts-day") ? b : day;
      }
      assertThat(day.at("/alerts_sent/0/threshold").asInt()).isEqualTo(50);
      assertThat(day.at("/alerts_sent/0/attempts").asInt()).isEqualTo(2);
      assertThat(day.at("/alerts_sent/0/delivered_at").isTextual()).isTrue();
      assertThat(day.at("/alerts_sent/1/threshold").asInt()).isEqualTo(100);
      String metrics = admin(t, "GET", "/metrics", null).body();
      assertThat(metrics)
          .contains("tollgate_budget_alert_deliveries_total{outcome=\"failed_attempt\"} 1.0")
          .contains("tollgate_budget_alert_deliveries_total{outcome=\"delivered\"} 2.0");

      assertThat(admin(t, "DELETE", "/admin/budgets/alerts-day", null).statusCode()).isEqualTo(200);
      JsonNode left = JSON.readTree(admin(t, "GET", "/admin/budgets", null).body());
      assertThat(left.get("budgets")).hasSize(2);
      assertThat(left.at("/budgets/0/name").asText()).isEqualTo("in-file");
      assertThat(left.at("/budgets/1/name").asText()).isEqualTo("big");
      assertThat(left.at("/budgets/1/alerts_sent")).isEmpty();
      assertThat(admin(t, "DELETE", "/admin/budgets/alerts-day", null).statusCode()).isEqualTo(404);
    }
  }
}
