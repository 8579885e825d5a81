package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockAndDemoTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  String post(TestTollgate t, String path, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(t.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            BodyHandlers.ofString())
        .body();
  }

  @Test
  void theMockUpstreamAnswersEveryShapeWithUsageTollgateCanPrice() throws Exception {
    try (MockUpstream mock =
            new MockUpstream(new MockUpstream.Settings("127.0.0.1", 0, 0, 5, 6)).start();
        TestTollgate t = TestTollgate.start(mock.baseUrl())) {
      String chat = post(t, "/v1/chat/completions", "{\"model\":\"o3\",\"messages\":[]}");
      String stream =
          post(
              t,
              "/v1/chat/completions",
              "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}");
      String responses =
          post(
              t,
              "/v1/responses",
              "{\"model\":\"o4-mini\",\"input\":\"x\",\"stream\":true,\"service_tier\":\"flex\"}");
      post(t, "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");

      assertThat(
              JSON.readTree(chat).at("/usage/completion_tokens_details/reasoning_tokens").asInt())
          .isEqualTo(64);
      assertThat(stream)
          .contains("data: [DONE]")
          .doesNotContain("\"choices\":[]"); // injected usage chunk hidden
      assertThat(responses).contains("event: response.completed").doesNotContain("[DONE]");
      List<JsonNode> calls = t.awaitCalls(4);
      assertThat(calls).hasSize(4);
      for (JsonNode c : calls) {
        assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("priced");
        assertThat(c.get("cost_usd").asText()).as(c.toString()).isNotEqualTo("0");
      }
    }
  }

  @Test
  void theDemoFillsTheLedgerFromSeveralTeamsWithNoApiKey() throws Exception {
    Cli demo = new Cli();
    Path data = dir.resolve("demo");
    int code =
        demo.run(
            "demo",
            "--port",
            "0",
            "--admin-port",
            "0",
            "--duration",
            "3",
            "--rate",
            "20",
            "--data-dir",
            data.toString());
    assertThat(code).as(demo.err.toString()).isZero();
    // The hint lines are printed at start and again at exit, after the access log buried them.
    assertThat(demo.out.toString().split("report:", -1)).hasSize(3);
    assertThat(Files.exists(data.resolve("ledger.db"))).isTrue();

    Path config = dir.resolve("t.yaml");
    Files.writeString(config, "data_dir: '" + data + "'\n");
    JsonNode r = report(config, "team");
    Set<String> teams = new HashSet<>();
    r.get("rows").forEach(row -> teams.add(row.get("team").asText()));
    assertThat(teams).hasSizeGreaterThanOrEqualTo(3);
    assertThat(r.get("total_cost_usd").asText()).isNotEqualTo("0");
    // Several providers served the demo, each priced: the default (OpenAI), Claude, DeepSeek.
    Set<String> providers = new HashSet<>();
    report(config, "provider")
        .get("rows")
        .forEach(
            row -> {
              providers.add(row.get("provider").asText());
              if (!row.get("provider").asText().equals("openai")) { // openai has an unpriced model
                assertThat(row.get("unpriced_requests").asLong()).as(row.toString()).isZero();
                assertThat(row.get("cost_usd").asText()).as(row.toString()).isNotEqualTo("0");
              }
            });
    assertThat(providers).contains("openai", "claude", "deepseek");
    // Every grouping a report offers has data: projects and end users too, not one null row.
    for (String dimension : List.of("project", "user")) {
      Set<String> values = new HashSet<>();
      report(config, dimension)
          .get("rows")
          .forEach(row -> values.add(row.path(dimension).asText()));
      assertThat(values).as(dimension).hasSizeGreaterThanOrEqualTo(3).doesNotContain("", "null");
    }
  }

  private static JsonNode report(Path config, String groupBy) throws Exception {
    Cli report = new Cli();
    assertThat(
            report.run(
                "report", "--config", config.toString(), "--group-by", groupBy, "--format", "json"))
        .as(report.err.toString())
        .isZero();
    return JSON.readTree(report.out.toString());
  }
}
