package dev.tollgate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hard budget on one Tollgate with its SQLite ledger: refused calls never reach the upstream. */
class BudgetEnforcementTest {
  static final ObjectMapper JSON = new ObjectMapper();
  // gpt-4o-mini at $0.15 / $0.60 per 1M: 1,000 in + 1,000 out = $0.00075 a call.
  static final String ANSWER =
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000,\"total_tokens\":2000}}";
  static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  HttpResponse<String> chat(TestTollgate t, String team) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("Authorization", "Bearer sk-test")
            .header("X-Tollgate-Team", team)
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build(),
        BodyHandlers.ofString());
  }

  JsonNode budgets(TestTollgate t) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(t.adminUri("/admin/budgets")).build(),
                BodyHandlers.ofString())
            .body());
  }

  @Test
  void aHardBudgetRefusesTheCallThatCouldPassItAndARestartForgetsNoSpend() throws Exception {
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: search-month, scope: 'team:search', limit_usd: 0.003, period: month}\n");
    AtomicInteger served = new AtomicInteger();
    String yaml =
        "data_dir: '"
            + dir.resolve("data")
            + "'\nbudgets: {file: '"
            + dir.resolve("budgets.yaml")
            + "', sync_interval: 200ms}";
    try (RawUpstream upstream =
        new RawUpstream(
            c -> {
              while (c.readRequest() != null) {
                served.incrementAndGet();
                c.writeJson("200 OK", ANSWER);
              }
            })) {
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml)) {
        for (int i = 0; i < 4; i++) {
          assertThat(chat(t, "search").statusCode()).as("call %d", i + 1).isEqualTo(200);
        }
        HttpResponse<String> refused = chat(t, "search");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("insufficient_quota");
        assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
        assertThat(error.get("message").asText())
            .contains("Budget 'search-month' (team:search, month)")
            .contains("limit $0.003")
            .containsPattern("resets at \\d{4}-\\d{2}-01T00:00:00Z");
        assertThat(refused.headers().firstValue("x-tollgate-request-id")).isPresent();
        assertThat(served.get()).as("the refused call never reached the upstream").isEqualTo(4);
        // Other teams are not covered by it.
        assertThat(chat(t, "ads").statusCode()).isEqualTo(200);

        t.awaitCalls(5);
        org.awaitility.Awaitility.await()
            .untilAsserted(
                () -> {
                  JsonNode b = budgets(t).get("budgets").get(0);
                  assertThat(b.get("spent_usd").asText()).isEqualTo("0.003");
                  assertThat(b.get("reserved_usd").asText()).isEqualTo("0");
                  assertThat(b.get("remaining_usd").asText()).isEqualTo("0");
                });
      }
      // The spend report shows the team's budget beside its spend (the admin API and the CLI).
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml)) {
        JsonNode spend =
            JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(t.adminUri("/admin/spend?group_by=team")).build(),
                        BodyHandlers.ofString())
                    .body());
        assertThat(spend.get("budgets")).hasSize(1);
        assertThat(spend.at("/budgets/0/team").asText()).isEqualTo("search");
        assertThat(spend.at("/budgets/0/budget").asText()).isEqualTo("search-month");
        assertThat(spend.at("/budgets/0/spent_usd").asText()).isEqualTo("0.003");
        assertThat(spend.at("/budgets/0/limit_usd").asText()).isEqualTo("0.003");
      }
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(config, yaml + "\n");
      var out = new java.io.StringWriter();
      var cli = new picocli.CommandLine(new dev.tollgate.cli.TollgateCommandAccess().command());
      cli.setOut(new java.io.PrintWriter(out));
      assertThat(cli.execute("report", "--config", config.toString(), "--group-by", "team"))
          .isZero();
      assertThat(out.toString())
          .containsPattern(
              "(?m)^budget search-month: team search, month: \\$0.003 of \\$0.003 spent"
                  + " \\(100.0%\\), resets ");

      // A restart reads the spend back from the ledger: the budget is still used up.
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl(), yaml)) {
        assertThat(chat(t, "search").statusCode()).isEqualTo(429);
        assertThat(budgets(t).at("/budgets/0/spent_usd").asText()).isEqualTo("0.003");
      }
      assertThat(served.get()).isEqualTo(5);
    }
  }

  @Test
  void anEditOfBudgetsYamlIsInForceWithinASyncAndABrokenOneKeepsThePrevious() throws Exception {
    Path file = dir.resolve("budgets.yaml");
    Files.writeString(file, "[]\n");
    try (TestTollgate t =
        TestTollgate.start(
            "http://127.0.0.1:9/v1", "budgets: {file: '" + file + "', sync_interval: 100ms}")) {
      assertThat(budgets(t).get("budgets")).isEmpty();
      Files.writeString(file, "- {name: added, scope: 'team:search', limit_usd: 5, period: day}\n");
      org.awaitility.Awaitility.await()
          .untilAsserted(
              () -> assertThat(budgets(t).at("/budgets/0/name").asText()).isEqualTo("added"));
      Files.writeString(file, "- {name: broken, scope: 'squad:x', limit_usd: 5}\n");
      org.awaitility.Awaitility.await()
          .untilAsserted(
              () -> assertThat(budgets(t).get("file_problem").asText()).contains("squad"));
      assertThat(budgets(t).at("/budgets/0/name").asText()).isEqualTo("added");
    }
  }
}
