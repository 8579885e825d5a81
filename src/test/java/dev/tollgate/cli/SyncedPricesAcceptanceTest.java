package dev.tollgate.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.testing.FixedUsageUpstream;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29's acceptance: a LiteLLM-format map with string rates, a NaN, a negative, a word for a
 * rate, a reseller's entry sorted before the maker's, and a model that appears only later, served
 * over HTTP to a running Tollgate. Every good model is priced, every bad one named (in {@code GET
 * /admin/prices/sources} and {@code tollgate prices sources}) and never $0, the late model is
 * fetched on its first calls and its earlier call repriced to {@code priced}.
 *
 * <p>Every call uses 1000 input and 500 output tokens; the costs below are written out by hand.
 */
class SyncedPricesAcceptanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static String map(boolean withLateModel) {
    return "{\"sample_spec\":{\"input_cost_per_token\":0},"
        // rates written as strings: $1 and $4 per 1M
        + "\"acme-chat\":{\"litellm_provider\":\"openai\",\"mode\":\"chat\","
        + "\"input_cost_per_token\":\"0.000001\",\"output_cost_per_token\":\"0.000004\"},"
        + "\"nan-model\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":NaN,"
        + "\"output_cost_per_token\":1e-06},"
        + "\"neg-model\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":1e-06,"
        + "\"output_cost_per_token\":-4e-06},"
        + "\"word-model\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":1e-06,"
        + "\"output_cost_per_token\":\"cheap\"},"
        // a reseller's entry sorts before the maker's
        + "\"azure_ai/deepseek-v9-pro\":{\"litellm_provider\":\"azure_ai\","
        + "\"input_cost_per_token\":1.74e-06,\"output_cost_per_token\":3.48e-06},"
        + "\"deepseek/deepseek-v9-pro\":{\"litellm_provider\":\"deepseek\","
        + "\"input_cost_per_token\":4.35e-07,\"output_cost_per_token\":8.7e-07}"
        + (withLateModel
            ? ",\"late-model\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":2e-06,"
                + "\"output_cost_per_token\":8e-06}"
            : "")
        + "}";
  }

  private static void serve(WireMockServer source, String body) {
    source.stubFor(
        get(urlEqualTo("/prices.json"))
            .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
  }

  private JsonNode admin(TestTollgate t, String path) throws Exception {
    return JSON.readTree(
        http.send(HttpRequest.newBuilder(t.adminUri(path)).build(), BodyHandlers.ofString())
            .body());
  }

  private JsonNode call(TestTollgate t, RawClient client, String model) throws Exception {
    String before = admin(t, "/admin/calls?limit=1").path("calls").path(0).path("id").asText();
    String body =
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    client
        .send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
        .readResponse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !admin(t, "/admin/calls?limit=1")
                    .path("calls")
                    .path(0)
                    .path("id")
                    .asText()
                    .equals(before));
    return admin(t, "/admin/calls?limit=1").path("calls").path(0);
  }

  private JsonNode byId(TestTollgate t, String id) throws Exception {
    for (JsonNode c : admin(t, "/admin/calls?limit=100").path("calls")) {
      if (c.path("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no call " + id);
  }

  @Test
  void everyGoodModelIsPricedEveryBadOneNamedAndALateOneRepricedToPriced() throws Exception {
    WireMockServer source =
        new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    source.start();
    serve(source, map(false));
    String url = "http://127.0.0.1:" + source.port() + "/prices.json";
    try (RawUpstream upstream = FixedUsageUpstream.start()) {
      // The default upstream is an Azure AI endpoint (its entries price its calls); 'ds/' goes to
      // a server whose provider is unknown (the model's maker's entry prices those).
      String pricing =
          "data_dir: '"
              + dir.resolve("state")
              + "'\n"
              + "usage: {catalog_reload_interval: 200ms}\n"
              + "pricing: {reprice: auto, sync: on, refetch_on_miss: 300ms, sources: [{name: src,"
              + " format: litellm, refresh: 1h, location: '"
              + url
              + "'}]}\n";
      String yaml =
          pricing
              + "upstream: {prices_as: azure_ai}\n"
              + "upstreams: {other: {url: '"
              + upstream.baseUrl().replace("127.0.0.1", "localhost")
              + "', provider: openai_compatible}}\n"
              + "routes: [{match: 'ds/', upstream: other}]\n";
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml);
          RawClient client = new RawClient(t.port())) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    admin(t, "/admin/prices/sources")
                        .path("sources")
                        .path(0)
                        .path("status")
                        .asText()
                        .equals("ok"));
        JsonNode status = admin(t, "/admin/prices/sources").path("sources").path(0);
        assertThat(status.path("location").asText()).isEqualTo(url);
        assertThat(status.path("models").asInt()).isEqualTo(3); // acme-chat, two deepseek entries
        JsonNode skipped = status.path("skipped");
        assertThat(skipped.path("nan-model").asText()).contains("finite");
        assertThat(skipped.path("neg-model").asText()).contains("negative");
        assertThat(skipped.path("word-model").asText()).contains("'cheap'");

        JsonNode acme = call(t, client, "acme-chat");
        assertThat(acme.path("status").asText()).isEqualTo("priced");
        assertThat(acme.path("cost_usd").asText()).isEqualTo("0.003"); // 1000 x 1 + 500 x 4
        JsonNode viaAzure = call(t, client, "deepseek-v9-pro");
        assertThat(viaAzure.path("cost_usd").asText()).isEqualTo("0.00348"); // 1.74 and 3.48
        assertThat(viaAzure.path("price_version").asText()).startsWith("src:deepseek-v9-pro@");
        JsonNode elsewhere = call(t, client, "ds/deepseek-v9-pro");
        assertThat(elsewhere.path("cost_usd").asText()).isEqualTo("0.00087"); // 0.435 and 0.87
        for (String bad : new String[] {"nan-model", "neg-model", "word-model"}) {
          JsonNode c = call(t, client, bad);
          assertThat(c.path("status").asText()).as(bad).isEqualTo("unpriced");
          assertThat(c.path("reasons").toString()).contains("no_price");
        }

        // A model the map does not have yet: unpriced, and its calls have the map fetched again.
        String lateId = call(t, client, "late-model").path("id").asText();
        assertThat(byId(t, lateId).path("status").asText()).isEqualTo("unpriced");
        serve(source, map(true));
        JsonNode late = null;
        for (int i = 0;
            i < 40 && (late == null || !late.path("status").asText().equals("priced"));
            i++) {
          Thread.sleep(350); // past refetch_on_miss, so the next miss fetches again
          late = call(t, client, "late-model");
        }
        assertThat(late.path("status").asText()).isEqualTo("priced");
        assertThat(late.path("cost_usd").asText()).isEqualTo("0.006"); // 1000 x 2 + 500 x 8
        // The first call is repriced by the source's first price for the model: priced.
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  JsonNode first = byId(t, lateId);
                  assertThat(first.path("status").asText()).isEqualTo("priced");
                  assertThat(first.path("cost_usd").asText()).isEqualTo("0.006");
                });

        // No call that should cost money is recorded at $0.
        for (JsonNode c : admin(t, "/admin/calls?limit=100").path("calls")) {
          if (!c.path("status").asText().equals("unpriced")) {
            assertThat(new BigDecimal(c.path("cost_usd").asText())).as(c.toString()).isPositive();
          }
        }
      }

      // The CLI reads the same record with the server down.
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(config, pricing);
      Cli cli = new Cli();
      assertThat(cli.run("prices", "sources", "--config", config.toString(), "--models")).isZero();
      assertThat(cli.out.toString())
          .contains(url)
          .containsPattern("last fetch \\S+: ok")
          .contains("4 models priced, 3 skipped")
          .containsPattern("skipped nan-model: .*finite")
          .containsPattern("deepseek-v9-pro +src:azure_ai/deepseek-v9-pro +azure_ai +calls sent to")
          .containsPattern("deepseek-v9-pro +src:deepseek/deepseek-v9-pro +deepseek +anywhere")
          .containsPattern("late-model +src:late-model +openai +anywhere");
    } finally {
      source.stop();
    }
  }
}
