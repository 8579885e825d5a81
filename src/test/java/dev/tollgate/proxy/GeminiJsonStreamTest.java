package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: Gemini's {@code :streamGenerateContent} without {@code alt=sse} answers a JSON array,
 * streamed element by element. It is relayed as it comes (the client has the first element before
 * the upstream sends the last), metered from the last element's usageMetadata, and a stream cut
 * before its last element is estimated from what passed, never priced from a partial count.
 */
class GeminiJsonStreamTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  private static final String FIRST =
      "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello there, this is the start of"
          + " a rather long answer about toll gates and what they cost\"}],\"role\":\"model\"}}],"
          + "\"usageMetadata\":{\"promptTokenCount\":1000,\"totalTokenCount\":1000},"
          + "\"modelVersion\":\"gemini-2.5-pro\"}\r\n";
  private static final String LAST =
      ",{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" and more\"}],\"role\":\"model\"},"
          + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1000,"
          + "\"candidatesTokenCount\":400,\"thoughtsTokenCount\":600,\"totalTokenCount\":2000},"
          + "\"modelVersion\":\"gemini-2.5-pro\"}]";

  @Test
  void aJsonArrayStreamIsRelayedAsItComesAndMeteredFromItsLastElement() throws Exception {
    CountDownLatch clientHasFirst = new CountDownLatch(1);
    try (RawUpstream google =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    c.write(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n");
                    c.chunk(FIRST);
                    if (r.head().contains("cut")) {
                      c.reset(); // the upstream dies before the last element
                      return;
                    }
                    clientHasFirst.await(10, TimeUnit.SECONDS);
                    c.chunk(LAST);
                    c.endChunks();
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                "http://127.0.0.1:9/v1",
                "auth: {allow_shared_key: true}\nupstreams: {google: {url: '"
                    + google.baseUrl().replace("/v1", "")
                    + "', provider: gemini}}\n")) {
      String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";
      var response =
          http.send(
              HttpRequest.newBuilder(
                      t.uri("/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent"))
                  .header("x-goog-api-key", "goog-client")
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      StringBuilder got = new StringBuilder();
      try (InputStream in = response.body()) {
        byte[] buf = new byte[4096];
        // The first element arrives while the upstream still holds the last one back.
        while (!got.toString().endsWith("}\r\n")) {
          int n = in.read(buf);
          assertThat(n).isPositive();
          got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(got.toString()).isEqualTo(FIRST);
        clientHasFirst.countDown();
        got.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      assertThat(got.toString()).isEqualTo(FIRST + LAST);

      List<JsonNode> calls = t.awaitCalls(1);
      JsonNode call = calls.get(0);
      assertThat(call.path("status").asText()).isEqualTo("priced");
      assertThat(call.path("stream").asBoolean()).isTrue();
      assertThat(call.path("model").asText()).isEqualTo("gemini-2.5-pro");
      // The last usageMetadata: 1,000 in x $1.25 + (400 + 600 thoughts) out x $10 = $0.01125.
      assertThat(call.path("cost_usd").asText()).isEqualTo("0.01125");

      // Cut before its last element: estimated from what passed, flagged, never $0.
      try {
        http.send(
            HttpRequest.newBuilder(
                    t.uri("/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?cut=1"))
                .header("x-goog-api-key", "goog-client")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            BodyHandlers.ofString());
      } catch (java.io.IOException expected) {
        // the client sees the stream end early, as it would have without Tollgate
      }
      JsonNode cut = t.awaitCalls(2).get(0);
      assertThat(cut.path("status").asText()).isEqualTo("estimated");
      assertThat(cut.path("reasons").toString()).contains("usage_missing");
      assertThat(cut.path("tokens").path("output").asLong()).isPositive(); // the text that passed
      assertThat(new java.math.BigDecimal(cut.path("cost_usd").asText())).isPositive();
    }
  }
}
