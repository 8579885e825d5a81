package dev.tollgate.sdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.testing.TestTollgate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3's acceptance: real SDK calls through Tollgate come out priced to the exact decimal. */
class SdkPricingTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeAll
  static void needsTheSdk() {
    NodeSdk.assumeInstalled("SdkPricingTest");
  }

  void stub() throws Exception {
    upstream.stubFor(
        post("/v1/chat/completions")
            .withRequestBody(equalToJson("{\"model\":\"o3\"}", true, true))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(NodeSdk.fixture("chat-o3-cached-reasoning.json"))));
    upstream.stubFor(
        post("/v1/chat/completions")
            .withRequestBody(equalToJson("{\"model\":\"acme-llm-7b\"}", true, true))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(NodeSdk.fixture("chat-unknown-model.json"))));
    // The upstream sends the usage chunk only when asked, as OpenAI does.
    upstream.stubFor(
        post("/v1/chat/completions")
            .atPriority(1)
            .withRequestBody(
                equalToJson(
                    "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}", true, true))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withChunkedDribbleDelay(9, 90)
                    .withBody(NodeSdk.fixture("chat-stream-usage.sse"))));
    upstream.stubFor(
        post("/v1/responses")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(NodeSdk.fixture("responses-o3-flex.json"))));
  }

  @Test
  void sdkCallsArePricedExactlyAndTheInjectedUsageChunkIsHidden() throws Exception {
    stub();
    try (TestTollgate tollgate = TestTollgate.start(upstream.baseUrl() + "/v1")) {
      JsonNode sdk = NodeSdk.run("sdk-pricing.mjs", "http://127.0.0.1:" + tollgate.port() + "/v1");

      // The stream: the client never asked for usage and sees only the four content chunks,
      // without the "usage":null the injected include_usage made the upstream add to each.
      JsonNode chunks = sdk.at("/streamNoUsage/chunks");
      assertThat(chunks).hasSize(4);
      chunks.forEach(
          c -> {
            assertThat(c.get("choices")).isNotEmpty();
            assertThat(c.has("usage")).as(c.toString()).isFalse();
            assertThat(c.path("obfuscation").asText()).isNotEmpty(); // the members after it stay
          });
      upstream.verify(
          postRequestedFor(urlEqualTo("/v1/chat/completions"))
              .withRequestBody(
                  equalToJson(
                      "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                      true,
                      true)));

      Map<String, JsonNode> calls = recentCalls(tollgate, 4);
      JsonNode o3 = calls.get(sdk.at("/chatO3/id").asText());
      assertThat(o3.get("cost_usd").asText()).isEqualTo("0.006464");
      assertThat(o3.get("status").asText()).isEqualTo("priced");
      assertThat(o3.get("price_version").asText()).isEqualTo("o3@2025-06-10");
      assertThat(o3.get("model").asText()).isEqualTo("o3-2025-04-16");
      assertThat(o3.get("tokens").toString())
          .isEqualTo(
              "{\"input\":976,\"cached_input\":1024,\"cache_write\":0,\"output\":200,\"reasoning\":300}");
      assertThat(o3.get("cost_components").toString())
          .isEqualTo(
              "{\"input\":\"0.001952\",\"cached_input\":\"0.000512\",\"cache_write\":\"0\",\"output\":\"0.0016\","
                  + "\"reasoning\":\"0.0024\",\"tools\":\"0\",\"duration\":\"0\"}");

      JsonNode flex = calls.get(sdk.at("/responsesFlex/id").asText());
      assertThat(flex.get("cost_usd").asText()).isEqualTo("0.012");
      assertThat(flex.get("service_tier").asText()).isEqualTo("flex");
      assertThat(flex.get("price_version").asText()).isEqualTo("o3@2025-06-10/flex");

      JsonNode stream = calls.get(sdk.at("/streamNoUsage/id").asText());
      assertThat(stream.get("status").asText()).isEqualTo("priced");
      assertThat(stream.get("stream").asBoolean()).isTrue();
      assertThat(stream.get("cost_usd").asText())
          .isEqualTo("0.0001272"); // 176 x 0.15 + 1024 x 0.075 + 40 x 0.60

      JsonNode unknown = calls.get(sdk.at("/unknownModel/id").asText());
      assertThat(unknown.get("status").asText()).isEqualTo("unpriced");
      assertThat(unknown.get("model").asText()).isEqualTo("acme-llm-7b");
      assertThat(unknown.get("price_version").isNull()).isTrue();
      assertThat(unknown.get("reasons").toString()).contains("no_price:acme-llm-7b");
    }
  }

  static Map<String, JsonNode> recentCalls(TestTollgate tollgate, int atLeast) {
    Map<String, JsonNode> byId = new HashMap<>();
    tollgate.awaitCalls(atLeast).forEach(c -> byId.put(c.get("id").asText(), c));
    return byId;
  }
}
