package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's native Messages API on /anthropic/v1/messages: relayed unchanged, JSON and SSE, and
 * priced by Claude's rules (cache reads at 0.1x, writes at 1.25x for 5 minutes and 2x for 1 hour,
 * all outside input_tokens).
 */
class AnthropicNativeTest {
  static final String BODY =
      "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":1024,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
  // claude-sonnet-4 per 1M: input 3, cache read 0.30, write 5m 3.75, write 1h 6, output 15.
  // 1000 x 3 + 4000 x 0.3 + 1000 x 3.75 + 2000 x 6 + 500 x 15 = 27,450 per 1M = $0.02745.
  static final String COST = "0.02745";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static String fixture(String name) throws Exception {
    try (InputStream in = AnthropicNativeTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  HttpResponse<String> post(TestTollgate t, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri(path))
            .header("x-api-key", "sk-ant-client")
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void messagesJsonStreamedAndCountTokensAreRelayedAndPricedByClaudesRules() throws Exception {
    String json = fixture("anthropic-message.json");
    String sse = fixture("anthropic-stream.sse");
    String cut = sse.substring(0, sse.indexOf("event: message_delta"));
    List<RawUpstream.Request> seen = new CopyOnWriteArrayList<>();
    try (RawUpstream anthropic =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    seen.add(r);
                    if (r.head().startsWith("POST /v1/messages/count_tokens")) {
                      c.writeJson("200 OK", "{\"input_tokens\":14}");
                    } else if (!r.body().contains("\"stream\":true")) {
                      c.writeJson("200 OK", json);
                    } else {
                      String events = r.body().contains("cut") ? cut : sse;
                      byte[] b = events.getBytes(StandardCharsets.UTF_8);
                      c.write(
                          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                              + b.length
                              + "\r\n\r\n"
                              + events);
                    }
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                "http://127.0.0.1:9/v1",
                "auth: {allow_shared_key: true}\nupstreams: {claude: {url: '"
                    + anthropic.baseUrl().replace("/v1", "")
                    + "', provider: anthropic, api_key: sk-ant-tollgate}}\n")) {
      HttpResponse<String> plain = post(t, "/anthropic/v1/messages", BODY);
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.body()).isEqualTo(json);
      HttpResponse<String> streamed =
          post(
              t,
              "/anthropic/v1/messages",
              BODY.replace("{\"model\"", "{\"stream\":true,\"model\""));
      assertThat(streamed.body()).isEqualTo(sse); // byte for byte: no usage injection here
      post(
          t,
          "/anthropic/v1/messages",
          BODY.replace(
              "{\"model\"", "{\"stream\":true,\"metadata\":{\"user_id\":\"cut\"},\"model\""));
      HttpResponse<String> counted = post(t, "/anthropic/v1/messages/count_tokens", BODY);
      assertThat(counted.body()).isEqualTo("{\"input_tokens\":14}");

      assertThat(seen).hasSize(4);
      for (RawUpstream.Request r : seen) {
        assertThat(r.head().toLowerCase())
            .startsWith("post /v1/messages")
            .contains("x-api-key: sk-ant-tollgate") // Tollgate's key, in Anthropic's header
            .contains("anthropic-version: 2023-06-01")
            .doesNotContain("sk-ant-client");
      }

      Map<String, JsonNode> byApi =
          t.awaitCalls(4).stream()
              .collect(
                  Collectors.toMap(
                      c ->
                          c.get("api").asText()
                              + (c.get("stream").asBoolean() ? "+stream" : "")
                              + (c.get("status").asText().equals("estimated") ? "+cut" : ""),
                      c -> c));
      for (String key : List.of("messages", "messages+stream")) {
        JsonNode c = byApi.get(key);
        assertThat(c).as(byApi.keySet().toString()).isNotNull();
        assertThat(c.get("status").asText()).isEqualTo("priced");
        assertThat(c.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(c.get("provider").asText()).isEqualTo("claude");
        assertThat(c.get("cost_usd").asText()).as(key).isEqualTo(COST);
        assertThat(c.at("/tokens/cached_input").asLong()).isEqualTo(4000);
        assertThat(c.at("/tokens/cache_write").asLong()).isEqualTo(3000);
        assertThat(c.at("/tokens/input").asLong()).isEqualTo(1000);
        assertThat(c.at("/tokens/output").asLong()).isEqualTo(500);
      }
      // Cut before message_delta: message_start's one output token is not the bill.
      assertThat(byApi.get("messages+stream+cut").get("status").asText()).isEqualTo("estimated");
      JsonNode counting = byApi.get("other");
      assertThat(counting.get("cost_usd").asText()).isEqualTo("0");
    }
  }
}
