package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemini's native API on /gemini/v1beta/models/{model}:generateContent (and :streamGenerateContent
 * with alt=sse): thoughts billed as output, the price cliff above 200K prompt tokens, and Google
 * Search grounding billed per request once the day's free quota (kept in the ledger) is used.
 */
class GeminiNativeTest {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  static String answer(long prompt, long candidates, long thoughts, boolean grounded) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\""
        + (grounded
            ? ",\"groundingMetadata\":{\"webSearchQueries\":[\"tollgate\"],\"groundingChunks\":[]}"
            : "")
        + "}],\"usageMetadata\":{\"promptTokenCount\":"
        + prompt
        + ",\"candidatesTokenCount\":"
        + candidates
        + ",\"thoughtsTokenCount\":"
        + thoughts
        + ",\"totalTokenCount\":"
        + (prompt + candidates + thoughts)
        + "},\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\"}";
  }

  HttpResponse<String> post(TestTollgate t, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri(path))
            .header("x-goog-api-key", "goog-client")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void generateContentIsPricedByGeminisRulesWithGroundingPastTheSharedFreeQuota() throws Exception {
    String sse =
        "data: "
            + answer(1000, 10, 0, false).replace("\"Hi\"", "\"H\"")
            + "\r\n\r\ndata: "
            + answer(1000, 400, 600, false)
            + "\r\n\r\n";
    List<RawUpstream.Request> seen = new CopyOnWriteArrayList<>();
    try (RawUpstream google =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    seen.add(r);
                    String head = r.head();
                    if (head.contains(":countTokens")) {
                      c.writeJson("200 OK", "{\"totalTokens\":7}");
                    } else if (head.contains(":streamGenerateContent")) {
                      byte[] b = sse.getBytes(StandardCharsets.UTF_8);
                      c.write(
                          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                              + b.length
                              + "\r\n\r\n"
                              + sse);
                    } else if (r.body().contains("long")) {
                      c.writeJson("200 OK", answer(300_000, 1000, 0, false));
                    } else {
                      c.writeJson("200 OK", answer(1000, 400, 600, true));
                    }
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                "http://127.0.0.1:9/v1",
                "data_dir: '"
                    + dir.resolve("data")
                    + "'\nauth: {allow_shared_key: true}\nupstreams: {google: {url: '"
                    + google.baseUrl().replace("/v1", "")
                    + "', provider: gemini, api_key: goog-tollgate}}\n")) {
      // Today's 1,500 free grounded requests were used up already (by any replica, any restart).
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      try (Connection c =
          DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ledger.db"))) {
        c.createStatement()
            .execute(
                "INSERT INTO tool_quota (day, model, tool, calls) VALUES ('"
                    + today
                    + "', 'gemini-2.5-pro', 'google_search', 1500)");
      }
      String base = "/gemini/v1beta/models/gemini-2.5-pro";
      String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";
      HttpResponse<String> grounded = post(t, base + ":generateContent", body);
      assertThat(grounded.body()).isEqualTo(answer(1000, 400, 600, true));
      post(t, base + ":generateContent", body.replace("Hi", "long"));
      HttpResponse<String> streamed = post(t, base + ":streamGenerateContent?alt=sse", body);
      assertThat(streamed.body()).isEqualTo(sse);
      assertThat(post(t, base + ":countTokens", body).body()).isEqualTo("{\"totalTokens\":7}");

      assertThat(seen).hasSize(4);
      assertThat(seen.get(2).head())
          .startsWith("POST /v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse HTTP/1.1");
      for (RawUpstream.Request r : seen) {
        assertThat(r.head().toLowerCase())
            .contains("x-goog-api-key: goog-tollgate")
            .doesNotContain("goog-client");
      }

      Map<String, JsonNode> byCost =
          t.awaitCalls(4).stream()
              .collect(Collectors.toMap(c -> c.get("cost_usd").asText(), c -> c, (a, b) -> a));
      // 1,000 in x 1.25 + (400 + 600 thoughts) out x 10 = $0.01125, plus one grounded request
      // past the free quota at $35 per 1,000 = $0.035.
      assertThat(byCost).containsKey("0.04625");
      assertThat(byCost.get("0.04625").at("/tool_calls/google_search").asLong()).isEqualTo(1);
      assertThat(byCost.get("0.04625").at("/tokens/reasoning").asLong()).isEqualTo(600);
      // Above 200K prompt tokens: 300,000 x 2.50 + 1,000 x 15 = $0.765.
      assertThat(byCost).containsKey("0.765");
      // The stream's last usageMetadata, not its first: $0.01125, no grounding.
      assertThat(byCost).containsKey("0.01125");
      assertThat(byCost.get("0.01125").get("stream").asBoolean()).isTrue();
      assertThat(byCost.get("0").get("api").asText()).isEqualTo("other"); // countTokens
      assertThat(byCost.values())
          .filteredOn(c -> !c.get("api").asText().equals("other"))
          .allSatisfy(c -> assertThat(c.get("model").asText()).isEqualTo("gemini-2.5-pro"));

      try (Connection c =
              DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ledger.db"));
          ResultSet r =
              c.createStatement()
                  .executeQuery("SELECT calls FROM tool_quota WHERE day = '" + today + "'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo(1501);
      }
    }
  }
}
