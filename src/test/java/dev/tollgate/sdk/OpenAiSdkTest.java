package dev.tollgate.sdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.testing.TestTollgate;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official openai npm SDK must see exactly the same results through Tollgate as directly
 * against the same fake upstream: bodies, stream events in order, statuses and error bodies.
 */
class OpenAiSdkTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeAll
  static void needsTheSdk() {
    NodeSdk.assumeInstalled("OpenAiSdkTest");
  }

  static String fixture(String name) throws IOException {
    return NodeSdk.fixture(name);
  }

  void stubTheApi() throws IOException {
    upstream.stubFor(
        post("/v1/chat/completions")
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-request-id", "req_chat")
                    .withBody(fixture("chat.json"))));
    upstream.stubFor(
        post("/v1/chat/completions")
            .atPriority(1)
            .withRequestBody(containing("\"stream\":true"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(fixture("chat-stream.sse"))));
    upstream.stubFor(
        post("/v1/chat/completions")
            .atPriority(1)
            .withRequestBody(equalToJson("{\"model\":\"rate-limited\"}", true, true))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-request-id", "req_429")
                    .withHeader("retry-after-ms", "200")
                    .withBody(fixture("error-429.json"))));
    upstream.stubFor(
        post("/v1/responses")
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("responses.json"))));
    upstream.stubFor(
        post("/v1/responses")
            .atPriority(1)
            .withRequestBody(containing("\"stream\":true"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "text/event-stream")
                    .withChunkedDribbleDelay(6, 120)
                    .withBody(fixture("responses-stream.sse"))));
    upstream.stubFor(
        post("/v1/embeddings")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("embeddings.json"))));
  }

  static JsonNode runSdk(String baseUrl) throws IOException, InterruptedException {
    return NodeSdk.run("sdk-scenarios.mjs", baseUrl);
  }

  @Test
  void theSdkSeesTheSameResultsThroughTollgateAsDirect() throws Exception {
    stubTheApi();
    JsonNode direct = runSdk(upstream.baseUrl() + "/v1");
    JsonNode via;
    try (TestTollgate tollgate = TestTollgate.start(upstream.baseUrl() + "/v1")) {
      via = runSdk("http://127.0.0.1:" + tollgate.port() + "/v1");
    }

    // The direct run must itself be what the fixtures say, or an equal comparison proves nothing.
    assertThat(direct.at("/chat/choices/0/message/content").asText())
        .isEqualTo("Hi there! How can I help?");
    assertThat(direct.at("/chatStream")).hasSize(4);
    assertThat(direct.at("/responses/output_text").asText()).isEqualTo("Hi!");
    assertThat(direct.at("/responsesStream")).hasSize(12);
    assertThat(direct.at("/responsesStream/11/type").asText()).isEqualTo("response.completed");
    assertThat(direct.at("/embeddings/data/0/embedding").toString()).isEqualTo("[0.25,-0.5,0.125]");
    assertThat(direct.at("/rateLimited/status").asInt()).isEqualTo(429);
    assertThat(direct.at("/rateLimited/name").asText()).isEqualTo("RateLimitError");
    assertThat(direct.at("/rateLimited/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(direct.at("/rateLimited/requestID").asText()).isEqualTo("req_429");

    for (String field :
        List.of(
            "chat", "chatStream", "responses", "responsesStream", "embeddings", "rateLimited")) {
      assertThat(via.get(field)).as(field).isEqualTo(direct.get(field));
    }
    assertThat(via).isEqualTo(direct);
  }
}
