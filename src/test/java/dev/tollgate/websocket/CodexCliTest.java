package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sdk.NodeSdk;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex CLI itself (the pinned npm release, its native binary), with its default provider settings
 * and its default model: only the base URL points at Tollgate. Codex opens its Responses WebSocket
 * through Tollgate to a fake upstream speaking that protocol, completes the task over it without
 * falling back to HTTP, and every turn it took is in the ledger, priced from the bundled catalog
 * although the one price source configured cannot be reached.
 */
class CodexCliTest {
  static final Path CODEX = NodeSdk.NODE_DIR.resolve("node_modules/.bin/codex");

  @TempDir Path home;

  @Test
  void codexCompletesATaskOverTollgatesWebSocketAndEachTurnIsPriced() throws Exception {
    NodeSdk.assumeInstalled("CodexCliTest", "@openai/codex");
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate tollgate =
            TestTollgate.start(
                upstream.baseUrl(),
                "pricing: {sync: on, sources: [{name: litellm, format: litellm, refresh: 1h,"
                    + " location: 'http://127.0.0.1:9/unreachable.json'}]}")) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  CODEX.toAbsolutePath().toString(),
                  "exec",
                  "--skip-git-repo-check",
                  "--json",
                  "-c",
                  "openai_base_url=\"http://127.0.0.1:" + tollgate.port() + "/v1\"",
                  "Say hello.")
              .directory(home.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("CODEX_HOME", home.toString());
      pb.environment().put("CODEX_API_KEY", "sk-codex-test");
      pb.environment().remove("OPENAI_BASE_URL");
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String stdout = new String(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("codex exited; stderr: %s\nstdout: %s", err, stdout).isZero();
      assertThat(stdout).contains("Hello from the fake.");
      assertThat(err).doesNotContain("Falling back from WebSockets");

      // Every request Codex made for the task came over the socket.
      assertThat(upstream.upgrades).isNotEmpty();
      assertThat(upstream.upgrades)
          .allSatisfy(u -> assertThat(u.uri()).isEqualTo("/v1/responses"))
          .allSatisfy(
              u -> assertThat(u.headers().get("authorization")).isEqualTo("Bearer sk-codex-test"));
      long creates =
          upstream.received.stream().filter(m -> m.contains("\"response.create\"")).count();
      assertThat(creates).isPositive();

      List<JsonNode> turns = tollgate.awaitCalls((int) creates);
      assertThat(turns).hasSize((int) creates);
      for (JsonNode t : turns) {
        assertThat(t.path("api").asText()).isEqualTo("responses");
        assertThat(t.path("method").asText()).isEqualTo("WS");
        assertThat(t.path("model").asText()).isEqualTo("gpt-6.2-sol"); // Codex 0.171's default
        assertThat(t.path("session").asText()).isNotEmpty();
        // gpt-6.2-sol's price is third-party (unconfirmed): priced, and flagged so; never $0.
        assertThat(t.path("status").asText()).isEqualTo("estimated");
        assertThat(t.path("reasons").toString()).contains("price_unconfirmed");
        assertThat(t.path("price_version").asText()).startsWith("gpt-6.2-sol@");
        assertThat(t.path("reasons").toString()).doesNotContain("usage_missing");
        assertThat(new BigDecimal(t.path("cost_usd").asText())).isPositive();
      }
    }
  }
}
