package dev.tollgate.reprice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A price that arrives after the calls: repriced through the admin API, or automatically. */
class RepriceIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY =
      "{\"id\":\"chatcmpl-r\",\"object\":\"chat.completion\",\"model\":\"house-model\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}";
  private static final String REQUEST =
      "{\"model\":\"house-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          while (c.readRequest() != null) {
            c.writeJson("200 OK", BODY);
          }
        });
  }

  private static void call(RawClient client) throws Exception {
    client
        .send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + REQUEST.length()
                + "\r\n\r\n"
                + REQUEST)
        .readResponse();
  }

  /** The price arrives: 1 and 2 per 1M, so each call costs $0.002. */
  private static void addPrice(Path catalog) throws Exception {
    Files.writeString(
        catalog, "models: {house-model: {versions: [{from: 2025-01-01, input: 1, output: 2}]}}\n");
    Files.setLastModifiedTime(catalog, FileTime.fromMillis(System.currentTimeMillis() + 5000));
  }

  private HttpResponse<String> admin(TestTollgate t, String method, String pathAndQuery)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.adminUri(pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        BodyHandlers.ofString());
  }

  private JsonNode calls(TestTollgate t) throws Exception {
    return JSON.readTree(admin(t, "GET", "/admin/calls").body()).get("calls");
  }

  @Test
  void adminRepriceCorrectsTheLedgerTheReportAndTheMetricsOnce() throws Exception {
    Path catalog = dir.resolve("prices.yaml");
    Files.writeString(catalog, "models: {}\n");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    String range = "from=" + today + "&to=" + tomorrow;
    try (RawUpstream upstream = upstream();
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "usage: {catalog: '"
                    + catalog
                    + "', catalog_reload_interval: 100ms}\n"
                    + "pricing: {reprice: 'off'}");
        RawClient client = new RawClient(t.port())) {
      call(client);
      call(client);
      await().until(() -> calls(t).size() == 2);
      assertThat(calls(t).get(0).get("status").asText()).isEqualTo("unpriced");
      assertThat(admin(t, "GET", "/admin/reprice?" + range).statusCode()).isEqualTo(405);
      // Unpriced calls are impossible to miss: named on the counter and listed with their tokens.
      assertThat(admin(t, "GET", "/metrics").body())
          .contains("tollgate_unpriced_requests_total{model=\"house-model\"} 2.0");
      JsonNode unpriced = JSON.readTree(admin(t, "GET", "/admin/unpriced").body()).get("models");
      assertThat(unpriced).hasSize(1);
      assertThat(unpriced.get(0).get("model").asText()).isEqualTo("house-model");
      assertThat(unpriced.get(0).get("calls").asInt()).isEqualTo(2);
      assertThat(unpriced.get(0).get("input_tokens").asInt()).isEqualTo(2000);
      assertThat(unpriced.get(0).get("first_seen").asText()).startsWith(today);

      addPrice(catalog);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  JSON.readTree(admin(t, "POST", "/admin/reprice?dry_run=true&" + range).body())
                          .get("repriced")
                          .asInt()
                      == 2);
      assertThat(calls(t).get(0).get("status").asText()).isEqualTo("unpriced"); // a dry run

      JsonNode run = JSON.readTree(admin(t, "POST", "/admin/reprice?" + range).body());
      assertThat(run.get("repriced").asInt()).isEqualTo(2);
      assertThat(run.get("after_usd").asText()).isEqualTo("0.004");
      assertThat(run.at("/models/house-model/repriced").asInt()).isEqualTo(2);
      assertThat(JSON.readTree(admin(t, "GET", "/admin/unpriced").body()).get("models")).isEmpty();
      JsonNode again = JSON.readTree(admin(t, "POST", "/admin/reprice?" + range).body());
      assertThat(again.get("repriced").asInt()).isZero();

      JsonNode call = calls(t).get(0);
      assertThat(call.get("status").asText()).isEqualTo("priced");
      assertThat(call.get("cost_usd").asText()).isEqualTo("0.002");
      assertThat(call.at("/repriced/previous_status").asText()).isEqualTo("unpriced");
      assertThat(call.at("/repriced/previous_cost_usd").asText()).isEqualTo("0");
      JsonNode spend =
          JSON.readTree(admin(t, "GET", "/admin/spend?group_by=model&" + range).body());
      assertThat(spend.get("total_cost_usd").asText()).isEqualTo("0.004");
      assertThat(spend.at("/rows/0/repriced_requests").asInt()).isEqualTo(2);
      assertThat(spend.at("/rows/0/unpriced_requests").asInt()).isZero();
      assertThat(admin(t, "GET", "/metrics").body())
          .containsPattern(
              "tollgate_repriced_usd_total\\{direction=\"up\",model=\"house-model\",team=\"unattributed\"\\} 0.004");
    }
  }

  @Test
  void withAutoRepricingAPriceThatArrivesLateCorrectsTheCallsBeforeIt() throws Exception {
    Path catalog = dir.resolve("prices.yaml");
    Files.writeString(catalog, "models: {}\n");
    try (RawUpstream upstream = upstream();
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "usage: {catalog: '" + catalog + "', catalog_reload_interval: 100ms}");
        RawClient client = new RawClient(t.port())) {
      call(client);
      await().until(() -> calls(t).size() == 1);
      assertThat(calls(t).get(0).get("status").asText()).isEqualTo("unpriced");

      addPrice(catalog);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> calls(t).get(0).get("status").asText().equals("priced"));
      assertThat(calls(t).get(0).get("cost_usd").asText()).isEqualTo("0.002");
      assertThat(calls(t).get(0).at("/repriced/previous_status").asText()).isEqualTo("unpriced");
    }
  }
}
