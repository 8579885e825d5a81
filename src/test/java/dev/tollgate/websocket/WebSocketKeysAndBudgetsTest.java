package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys and budgets on a socket, as on HTTP: a Tollgate key is swapped for the
 * organisation's before the upgrade goes upstream and names who pays; an unknown one is refused at
 * the upgrade; each {@code response.create}, in one frame or several, is admitted against the
 * budget like a call, the one that could pass it answered with an error event and never sent
 * upstream; and a key revoked or expired while its socket is open closes it (1008).
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

      // A create in two frames is held back until it is whole, then admitted like any other:
      // this one could pass the budget too, so none of it goes upstream.
      c.socket.sendText(CREATE.substring(0, 20), false).get();
      c.socket.sendText(CREATE.substring(20), true).get();
      JsonNode again = FakeSocketUpstream.JSON.readTree(c.next());
      assertThat(again.path("error").path("code").asText()).isEqualTo("budget_exceeded");
      assertThat(upstream.received).hasSize(1);
      assertThat(upstream.continuations.get()).isZero();
      c.socket.sendClose(1000, "").get();
    }
  }

  @Test
  void aFragmentedCreateThatFitsIsAdmittedAndGoesOnInItsOwnFrames() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = start(upstream)) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of("Authorization", "Bearer " + KEY));
      c.socket.sendText(CREATE.substring(0, 20), false).get();
      c.socket.sendText(CREATE.substring(20, 40), false).get();
      c.socket.sendText(CREATE.substring(40), true).get();
      c.until("response.completed");
      assertThat(upstream.received).containsExactly(CREATE);
      assertThat(upstream.continuations.get()).isEqualTo(2); // its fragmentation kept
      // Admitted, so its turn is its own: model and budget hold included.
      assertThat(t.awaitCalls(1).get(0).path("requested_model").asText()).isEqualTo("gpt-5");
      c.socket.sendClose(1000, "").get();
    }
  }

  @Test
  void aKeyRevokedWhileItsSocketIsOpenClosesItWith1008AndNoLaterTurnGoesUpstream()
      throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = start(upstream)) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of("Authorization", "Bearer " + KEY));
      c.send(CREATE);
      c.until("response.completed");

      var revoked =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(t.adminUri("/admin/keys/voice-prod"))
                      .DELETE()
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(revoked.statusCode()).isEqualTo(200);
      long at = System.nanoTime();
      int code = c.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)[0];
      assertThat(code).isEqualTo(1008);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - at))
          .isLessThan(java.time.Duration.ofSeconds(1));
      assertThat(c.closeReason.get()).contains("revoked");
      try {
        c.send(CREATE);
      } catch (Exception closedAlready) {
        // the client may already refuse to send on a closed socket
      }
      Thread.sleep(300);
      assertThat(upstream.received).hasSize(1);
    }
  }

  @Test
  void aKeyThatExpiresWhileItsSocketIsOpenClosesIt() throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Instant expires = Instant.now().plusSeconds(2);
    Files.writeString(
        keys,
        "- {name: short, sha256: "
            + Keys.sha256(KEY)
            + ", team: voice, expires: '"
            + expires
            + "'}\n");
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\n"
                    + "attribution: {keys_file: '"
                    + keys
                    + "'}")) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of("Authorization", "Bearer " + KEY));
      c.send(CREATE);
      c.until("response.completed");
      assertThat(c.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)[0]).isEqualTo(1008);
      assertThat(Instant.now()).isBefore(expires.plusSeconds(1));
      assertThat(c.closeReason.get()).contains("expired");
    }
  }

  @Test
  void aMessageTooFragmentedToCheckClosesTheSocketUnderAHardBudget() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = start(upstream)) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of("Authorization", "Bearer " + KEY));
      // 20,000 frames of 8 bytes: past websocket.max_fragments (4,096), so it cannot be read
      // whole and admitted; a hard budget covers this key, so it must not go on unchecked.
      int sent = 0;
      try {
        c.socket.sendText("{\"type\":", false).get();
        for (; sent < 20_000; sent++) {
          c.socket.sendText("        ", false).get();
        }
      } catch (java.util.concurrent.ExecutionException closedMidMessage) {
        // Tollgate closed the socket while the client was still sending: expected
      }
      assertThat(sent).isGreaterThanOrEqualTo(4_000);
      assertThat(c.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)[0]).isEqualTo(1009);
      assertThat(upstream.received).isEmpty();
      assertThat(upstream.continuations.get()).isZero();
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
