package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys and budgets on a socket, as on HTTP: a Tollgate key is swapped for the
 * organisation's before the upgrade goes upstream and names who pays; an unknown one is refused at
 * the upgrade; and each {@code response.create} is admitted against the budget like a call, the one
 * that could pass it answered with an error event and never sent upstream.
 */
class WebSocketKeysAndBudgetsTest {
  static final String KEY = "tg-0123456789abcdef0123456789abcdef";
  // 500 output tokens at most: the worst case a turn reserves is about $0.005 of gpt-5; each
  // turn the fake answers costs $0.010.
  static final String CREATE =
      "{\"type\":\"response.create\",\"model\":\"gpt-5\",\"max_output_tokens\":500,"
          + "\"input\":\"hello\"}";

  @TempDir Path dir;

  TestTollgate start(FakeSocketUpstream upstream) throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(
        keys, "- {name: voice-prod, sha256: " + Keys.sha256(KEY) + ", team: voice}\n");
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: voice-month, scope: 'team:voice', limit_usd: 0.012, period: month}\n");
    return TestTollgate.start(
        upstream.baseUrl(),
        "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\n"
            + "attribution: {keys_file: '"
            + keys
            + "'}\nbudgets: {file: '"
            + dir.resolve("budgets.yaml")
            + "', sync_interval: 200ms}");
  }

  @Test
  void aVirtualKeyIsSwappedAndEachTurnIsAdmittedAgainstTheBudget() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = start(upstream)) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of("Authorization", "Bearer " + KEY));
      assertThat(upstream.upgrades.get(0).headers().get("authorization"))
          .isEqualTo("Bearer sk-org");

      c.send(CREATE);
      c.until("response.completed");
      t.awaitCalls(1); // priced and settled (as with HTTP calls, settling follows the answer)
      c.send(CREATE); // $0.010 spent + up to $0.005 more could pass $0.012
      String refusal = c.next();
      JsonNode e = FakeSocketUpstream.JSON.readTree(refusal);
      assertThat(e.path("type").asText()).isEqualTo("error");
      assertThat(e.path("status").asInt()).isEqualTo(429);
      assertThat(e.path("error").path("code").asText()).isEqualTo("budget_exceeded");
      assertThat(e.path("error").path("message").asText()).contains("voice-month");
      assertThat(upstream.received).hasSize(1); // the refused turn never went upstream

      List<JsonNode> calls = t.awaitCalls(1);
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).path("team").asText()).isEqualTo("voice");
      assertThat(calls.get(0).path("key").asText()).isEqualTo("voice-prod");

      // A create in two frames has gone on before it is whole: it cannot be refused, so it is
      // not admitted either, and its turn is billed as the upstream answers it.
      c.socket.sendText(CREATE.substring(0, 20), false).get();
      c.socket.sendText(CREATE.substring(20), true).get();
      c.until("response.completed");
      assertThat(upstream.received).hasSize(2);
      assertThat(t.awaitCalls(2)).hasSize(2);
      // Its own create is the turn's (before, a refusal withdrew it while it went on regardless).
      assertThat(t.awaitCalls(2).get(0).path("requested_model").asText()).isEqualTo("gpt-5");
      c.socket.sendClose(1000, "").get();
    }
  }

  @Test
  void anUnknownTollgateKeyIsRefusedAtTheUpgrade() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = start(upstream)) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      var refused = WsClient.refusal(uri, Map.of("Authorization", "Bearer tg-nobody0000000000"));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(upstream.upgrades).isEmpty();
    }
  }
}
