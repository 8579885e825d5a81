package dev.tollgate.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LiteLLM-format price map served over local HTTP: a model only it knows is priced and says so; a
 * changed price prices new calls and leaves old ones alone, and all of it survives a restart with
 * the source gone.
 */
class PriceSyncIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path data;

  /** LiteLLM's shape: USD per token. The curated catalog's gpt-4o-mini must win over its entry. */
  private static String litellm(String syncedInputPerToken) {
    return "{\"sample_spec\":{\"input_cost_per_token\":0},"
        + "\"synced-model\":{\"litellm_provider\":\"openai\",\"mode\":\"chat\",\"input_cost_per_token\":"
        + syncedInputPerToken
        + ",\"output_cost_per_token\":2e-06},"
        + "\"gpt-4o-mini\":{\"litellm_provider\":\"openai\",\"mode\":\"chat\",\"input_cost_per_token\":9e-06,"
        + "\"output_cost_per_token\":9e-06},"
        + "\"broken-model\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":-1,\"output_cost_per_token\":1}}";
  }

  private static void serve(WireMockServer source, String body, String etag) {
    source.stubFor(
        get(urlEqualTo("/prices.json"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withHeader("ETag", etag)
                    .withBody(body)));
  }

  private static RawUpstream upstream() throws Exception {
    return dev.tollgate.testing.FixedUsageUpstream.start();
  }

  private static String chat(String model) {
    String body =
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private JsonNode latest(TestTollgate t) throws Exception {
    return JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(t.adminUri("/admin/calls?limit=1")).build(),
                    BodyHandlers.ofString())
                .body())
        .path("calls")
        .path(0);
  }

  private JsonNode call(TestTollgate t, RawClient client, String model, String id)
      throws Exception {
    client.send(chat(model)).readResponse();
    await().atMost(Duration.ofSeconds(5)).until(() -> !latest(t).path("id").asText().equals(id));
    return latest(t);
  }

  @Test
  void aModelOnlyASyncedSourceKnowsIsPricedAndItsPriceHistorySurvivesARestart() throws Exception {
    WireMockServer source =
        new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    source.start();
    String yaml =
        "data_dir: '"
            + data
            + "'\n"
            + "pricing: {reprice: off, sync: on, sources: [{name: litellm, format: litellm, refresh: 200ms,"
            + " location: 'http://127.0.0.1:"
            + source.port()
            + "/prices.json'}]}";
    try (RawUpstream upstream = upstream()) {
      String firstId;
      try {
        serve(source, litellm("1e-06"), "\"v1\"");
        try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml);
            RawClient client = new RawClient(t.port())) {
          // The map arrives in the background; the first priced call says where its price came
          // from.
          JsonNode first = null;
          for (int i = 0;
              i < 50 && (first == null || !first.get("status").asText().equals("priced"));
              i++) {
            first = call(t, client, "synced-model", first == null ? "" : first.get("id").asText());
            if (!first.get("status").asText().equals("priced")) {
              Thread.sleep(100);
            }
          }
          assertThat(first.get("price_version").asText()).startsWith("litellm:synced-model@");
          assertThat(first.get("cost_usd").asText())
              .isEqualTo("0.002"); // 1000 x 1 + 500 x 2 per 1M
          firstId = first.get("id").asText();
          // The curated catalog decides every model it names.
          JsonNode mini = call(t, client, "gpt-4o-mini", firstId);
          assertThat(mini.get("price_version").asText()).isEqualTo("gpt-4o-mini@2024-07-18");
          assertThat(mini.get("cost_usd").asText()).isEqualTo("0.00045");

          // The price changes at the source: new calls get it, the earlier call keeps its cost.
          serve(source, litellm("3e-06"), "\"v2\"");
          JsonNode later = mini;
          for (int i = 0; i < 50 && !later.get("cost_usd").asText().equals("0.004"); i++) {
            Thread.sleep(100);
            later = call(t, client, "synced-model", later.get("id").asText());
          }
          assertThat(later.get("cost_usd").asText()).isEqualTo("0.004"); // 1000 x 3 + 500 x 2
          assertThat(later.get("price_version").asText())
              .isNotEqualTo(first.get("price_version").asText());
          assertThat(costOf(t, firstId)).isEqualTo("0.002");
          // Unchanged maps are asked for with the validator of the last good copy (the next
          // refresh after v2 was seen, within a few refresh intervals).
          await()
              .atMost(Duration.ofSeconds(5))
              .untilAsserted(
                  () ->
                      source.verify(
                          getRequestedFor(urlEqualTo("/prices.json"))
                              .withHeader(
                                  "If-None-Match",
                                  com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                      "\"v2\""))));
        }
      } finally {
        source.stop(); // from here on the source cannot be reached
      }
      assertThat(data.resolve("price-sources/litellm.body")).exists();
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml);
          RawClient client = new RawClient(t.port())) {
        JsonNode afterRestart = call(t, client, "synced-model", "");
        assertThat(afterRestart.get("status").asText()).isEqualTo("priced");
        assertThat(afterRestart.get("cost_usd").asText()).isEqualTo("0.004");
        assertThat(costOf(t, firstId)).isEqualTo("0.002");
      }
    }
  }

  private String costOf(TestTollgate t, String id) throws Exception {
    for (JsonNode c :
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(t.adminUri("/admin/calls?limit=100")).build(),
                        BodyHandlers.ofString())
                    .body())
            .get("calls")) {
      if (c.get("id").asText().equals(id)) {
        return c.get("cost_usd").asText();
      }
    }
    throw new AssertionError("no call " + id);
  }
}
