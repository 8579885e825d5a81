package dev.tollgate.sdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
 * Google's GenAI npm SDK sees exactly the same results through Tollgate's /gemini as directly
 * against the same fake Gemini: the message, the stream's chunks and token counts; and Tollgate
 * prices each generateContent call, thoughts as output.
 */
class GeminiSdkTest {
  static final String MODEL = "/v1beta/models/gemini-2.5-pro";

  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeAll
  static void needsTheSdk() {
    NodeSdk.assumeInstalled("GeminiSdkTest", "@google/genai");
  }

  static String answer(long candidates, long thoughts, String text) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text
        + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":1000,\"candidatesTokenCount\":"
        + candidates
        + ",\"thoughtsTokenCount\":"
        + thoughts
        + ",\"totalTokenCount\":"
        + (1000 + candidates + thoughts)
        + "},\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\"}";
  }

  @Test
  void theGenAiSdkSeesTheSameThroughTollgateAndEachCallIsPriced() throws Exception {
    upstream.stubFor(
        post(urlPathEqualTo(MODEL + ":generateContent"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(answer(400, 600, "Hello there"))));
    upstream.stubFor(
        post(urlPathEqualTo(MODEL + ":streamGenerateContent"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(
                        "data: "
                            + answer(5, 600, "Hello")
                            + "\r\n\r\ndata: "
                            + answer(400, 600, " there")
                            + "\r\n\r\n")));
    upstream.stubFor(
        post(urlPathEqualTo(MODEL + ":countTokens"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"totalTokens\":7}")));
    JsonNode direct = NodeSdk.run("genai-scenarios.mjs", upstream.baseUrl());
    try (TestTollgate t =
        TestTollgate.start(
            "http://127.0.0.1:9/v1",
            "upstreams: {google: {url: '" + upstream.baseUrl() + "', provider: gemini}}\n")) {
      JsonNode through =
          NodeSdk.run("genai-scenarios.mjs", "http://127.0.0.1:" + t.port() + "/gemini");
      assertThat(through).isEqualTo(direct);
      assertThat(through.at("/message/text").asText()).isEqualTo("Hello there");
      assertThat(through.get("chunks")).hasSize(2);
      upstream.verify(
          6, // 3 calls direct, 3 through Tollgate
          postRequestedFor(urlPathMatching(MODEL + ":.*"))
              .withHeader("x-goog-api-key", containing("goog-test")));

      List<JsonNode> calls = t.awaitCalls(3);
      // 1,000 in x 1.25 + (400 + 600 thoughts) out x 10 per 1M = $0.01125, JSON and streamed.
      assertThat(calls)
          .filteredOn(c -> c.get("api").asText().equals("generate_content"))
          .hasSize(2)
          .allSatisfy(c -> assertThat(c.get("cost_usd").asText()).isEqualTo("0.01125"));
    }
  }
}
