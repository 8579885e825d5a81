package dev.tollgate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigException;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Budgets against absurd numbers: every answer is a clear 4xx, never a dropped connection or 500.
 */
class BudgetHostileInputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void aCallWhoseWorstCaseIsBeyondAnyBudgetIsA429InTheOpenAiShape() throws Exception {
    // At the dearest rate a catalog may hold, 20M tokens out costs $20M: more than a pico-dollar
    // long holds. Its estimate used to throw on the event loop, and the client got no answer.
    Files.writeString(
        dir.resolve("prices.yaml"),
        "version: 1\nmodels:\n  pricey:\n    provider: acme\n    versions:\n"
            + "      - {from: 2025-01-01, input: 1000000, output: 1000000}\n");
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: small, scope: 'team:t', limit_usd: 1, period: month}\n");
    AtomicInteger served = new AtomicInteger();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    served.incrementAndGet();
                    c.writeJson("200 OK", "{}");
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "usage: {catalog: '"
                    + dir.resolve("prices.yaml")
                    + "'}\nbudgets: {file: '"
                    + dir.resolve("budgets.yaml")
                    + "'}");
        RawClient c = new RawClient(t.port())) {
      String body = "{\"model\":\"pricey\",\"max_tokens\":20000000,\"messages\":[]}";
      String answer =
          c.send(
                  "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Team: t\r\n"
                      + "Content-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
              .readResponse();
      assertThat(answer).startsWith("HTTP/1.1 429");
      JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
      assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
      assertThat(error.get("type").asText()).isEqualTo("insufficient_quota");
      assertThat(served.get()).isZero();
    }
  }

  @ParameterizedTest(name = "limit_usd {0}")
  @ValueSource(
      strings = {
        "\"1e-999999999\"",
        "1e-999999999",
        "1e400",
        "5000000",
        "\"abc\"",
        "-1",
        "0.0000000000001"
      })
  void anAbsurdLimitIs400NamingTheField(String limit) throws Exception {
    try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9/v1")) {
      var r =
          http.send(
              HttpRequest.newBuilder(t.adminUri("/admin/budgets/x"))
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"scope\":\"team:a\",\"limit_usd\":" + limit + "}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("limit_usd").contains("\"type\":\"invalid_request_error\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ftp://hooks.example/alert", "file:///etc/passwd", "hooks.example/x"})
  void aWebhookThatIsNotHttpIsRefusedAtStart(String url) {
    assertThatThrownBy(
            () ->
                TestTollgate.start(
                    "http://127.0.0.1:9/v1", "budgets: {webhook_url: '" + url + "'}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("budgets.webhook_url")
        .hasMessageContaining("http");
  }
}
