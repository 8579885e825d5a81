package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Tollgate in front of a fake OpenAI, Anthropic, Gemini and DeepSeek at once, called
 * concurrently: each call is answered unchanged and priced by its own provider's rules.
 */
class AllProvidersTest {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  static RawUpstream answering(String body) throws Exception {
    return new RawUpstream(
        c -> {
          while (c.readRequest() != null) {
            c.writeJson("200 OK", body);
          }
        });
  }

  CompletableFuture<HttpResponse<String>> post(TestTollgate t, String path, String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(t.uri(path))
            .header("Authorization", "Bearer sk-client")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void fourProvidersAtOnceEachPricedByItsOwnRules() throws Exception {
    String openaiAnswer =
        "{\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
            + "\"completion_tokens\":100}}";
    String deepseekAnswer =
        "{\"model\":\"deepseek-chat\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
            + "\"completion_tokens\":100,\"prompt_cache_hit_tokens\":600,"
            + "\"prompt_cache_miss_tokens\":400}}";
    String claudeAnswer = AnthropicNativeTest.fixture("anthropic-message.json");
    String geminiAnswer = GeminiNativeTest.answer(300_000, 400, 600, true);
    try (RawUpstream openai = answering(openaiAnswer);
        RawUpstream deepseek = answering(deepseekAnswer);
        RawUpstream anthropic = answering(claudeAnswer);
        RawUpstream gemini = answering(geminiAnswer);
        TestTollgate t =
            TestTollgate.start(
                openai.baseUrl(),
                "data_dir: '"
                    + dir.resolve("data")
                    + "'\nupstreams:\n"
                    + "  deepseek: {url: '"
                    + deepseek.baseUrl()
                    + "'}\n  claude: {url: '"
                    + anthropic.baseUrl().replace("/v1", "")
                    + "', provider: anthropic}\n  google: {url: '"
                    + gemini.baseUrl().replace("/v1", "")
                    + "', provider: gemini}\n"
                    + "routes: [{match: 'deepseek-*', upstream: deepseek}]\n")) {
      try (Connection c =
          DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ledger.db"))) {
        c.createStatement()
            .execute(
                "INSERT INTO tool_quota (day, model, tool, calls) VALUES ('"
                    + LocalDate.now(ZoneOffset.UTC)
                    + "', 'gemini-2.5-pro', 'google_search', 1500)");
      }
      List<CompletableFuture<HttpResponse<String>>> sent =
          List.of(
              post(t, "/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"),
              post(t, "/v1/chat/completions", "{\"model\":\"deepseek-chat\",\"messages\":[]}"),
              post(t, "/anthropic/v1/messages", AnthropicNativeTest.BODY),
              post(t, "/gemini/v1beta/models/gemini-2.5-pro:generateContent", "{\"contents\":[]}"));
      List<String> bodies = sent.stream().map(f -> f.join().body()).toList();
      assertThat(bodies).containsExactly(openaiAnswer, deepseekAnswer, claudeAnswer, geminiAnswer);

      Map<String, String> costByProvider =
          t.awaitCalls(4).stream()
              .collect(
                  Collectors.toMap(
                      c -> c.get("provider").asText(), c -> c.get("cost_usd").asText()));
      assertThat(costByProvider)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  // 1,000 x 0.15 + 100 x 0.60 per 1M
                  "openai", "0.00021",
                  // cache miss 400 x 0.28 + hit 600 x 0.028 + 100 x 0.42 per 1M
                  "deepseek", "0.0001708",
                  // Claude: cache read 0.1x, 5-minute write 1.25x, 1-hour write 2x of input
                  "claude", AnthropicNativeTest.COST,
                  // Gemini above 200K: 300,000 x 2.50 + 1,000 x 15 per 1M, + $0.035 grounding
                  "google", "0.8"));
    }
  }
}
