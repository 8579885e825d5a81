package dev.tollgate.sdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.testing.TestTollgate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Anthropic npm SDK sees exactly the same results through Tollgate's /anthropic as
 * directly against the same fake Anthropic: messages, stream events in order, the stream helper's
 * final message and token counts; and Tollgate prices each billed call by Claude's rules.
 */
class AnthropicSdkTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeAll
  static void needsTheSdk() {
    NodeSdk.assumeInstalled("AnthropicSdkTest", "@anthropic-ai/sdk");
  }

  @Test
  void theAnthropicSdkSeesTheSameThroughTollgateAndEachCallIsPriced() throws Exception {
    upstream.stubFor(
        post("/v1/messages")
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withHeader("request-id", "req_msg")
                    .withBody(NodeSdk.fixture("anthropic-message.json"))));
    upstream.stubFor(
        post("/v1/messages")
            .atPriority(1)
            .withRequestBody(containing("\"stream\":true"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(NodeSdk.fixture("anthropic-stream.sse"))));
    upstream.stubFor(
        post("/v1/messages/count_tokens")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"input_tokens\":14}")));
    JsonNode direct = NodeSdk.run("anthropic-scenarios.mjs", upstream.baseUrl());
    try (TestTollgate t =
        TestTollgate.start(
            "http://127.0.0.1:9/v1",
            "upstreams: {anthropic: {url: '" + upstream.baseUrl() + "', provider: anthropic}}\n")) {
      JsonNode through =
          NodeSdk.run("anthropic-scenarios.mjs", "http://127.0.0.1:" + t.port() + "/anthropic");
      assertThat(through).isEqualTo(direct);
      assertThat(through.at("/final/usage/output_tokens").asInt()).isEqualTo(500);
      assertThat(through.get("events")).hasSize(7); // the fixture's 8 events; the SDK drops ping
      // Passthrough: the client's own credential reaches Anthropic, as this SDK sends it
      // (Authorization; x-api-key from other clients is passed on the same way).
      upstream.verify(
          8, // 4 calls direct, 4 through Tollgate
          postRequestedFor(urlMatching("/v1/messages.*"))
              .withHeader("Authorization", containing("sk-ant-test")));

      List<JsonNode> calls = t.awaitCalls(4); // create, stream, stream helper, count_tokens
      assertThat(calls).hasSize(4);
      long priced =
          calls.stream()
              .filter(c -> c.get("api").asText().equals("messages"))
              .peek(c -> assertThat(c.get("cost_usd").asText()).isEqualTo("0.02745"))
              .count();
      assertThat(priced).isEqualTo(3);
    }
  }
}
