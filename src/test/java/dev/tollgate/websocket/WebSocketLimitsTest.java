package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every bound on sockets holds, and each is answered in words the client can act on. */
class WebSocketLimitsTest {

  static URI ws(TestTollgate t, String path) {
    return URI.create("ws://127.0.0.1:" + t.port() + path);
  }

  @Test
  void anIdleSocketIsClosedWith1001OnBothSides() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t =
            TestTollgate.start(upstream.baseUrl(), "websocket: {idle_timeout: 300ms}")) {
      WsClient c = WsClient.open(ws(t, "/v1/responses"), Map.of());
      assertThat(c.closed.get(5, TimeUnit.SECONDS)[0]).isEqualTo(1001);
      assertThat(c.closeReason.get()).isEqualTo("idle timeout");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> upstream.open.get() == 0);
    }
  }

  @Test
  void aMessageInTensOfThousandsOfFramesGoesOnUnreadWithoutABudgetAndTheSocketLives()
      throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "")) {
      WsClient c = WsClient.open(ws(t, "/v1/responses"), Map.of());
      String start = "{\"type\":\"note\",\"pad\":\"";
      c.socket.sendText(start, false).get();
      for (int i = 0; i < 20_000; i++) {
        c.socket.sendText("xxxxxxxx", false).get();
      }
      c.socket.sendText("\"}", true).get();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> upstream.received.size() == 1);
      assertThat(upstream.received.get(0)).hasSize(start.length() + 160_000 + 2);
      // The socket still works: a turn after it is metered as usual.
      c.send("{\"type\":\"response.create\",\"model\":\"gpt-5\",\"input\":\"hi\"}");
      c.until("response.completed");
      assertThat(t.awaitCalls(1)).hasSize(1);
      c.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUpstreamThatNeverAnswersTheUpgradeIsA504() throws Exception {
    try (RawUpstream silent =
            new RawUpstream(
                conn -> {
                  conn.readRequest();
                  Thread.sleep(5_000);
                });
        TestTollgate t =
            TestTollgate.start(silent.baseUrl(), "websocket: {handshake_timeout: 300ms}")) {
      var refused = WsClient.refusal(ws(t, "/v1/responses"), Map.of());
      assertThat(refused.statusCode()).isEqualTo(504);
      assertThat(refused.body().toString()).contains("websocket.handshake_timeout");
    }
  }

  @Test
  void socketsPastTheLimitGetA503AndOneClosingMakesRoom() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "websocket: {max_sockets: 2}")) {
      WsClient a = WsClient.open(ws(t, "/v1/responses"), Map.of());
      WsClient b = WsClient.open(ws(t, "/v1/responses"), Map.of());
      var refused = WsClient.refusal(ws(t, "/v1/responses"), Map.of());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body().toString())
          .contains("too_many_websockets")
          .contains("websocket.max_sockets: 2");
      a.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
      a.closed.get(5, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .ignoreExceptions()
          .until(() -> WsClient.open(ws(t, "/v1/responses"), Map.of()) != null);
      b.abort();
    }
  }

  @Test
  void turnedOffUpgradesAreRefusedSoClientsFallBackToHttp() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "websocket: {enabled: false}")) {
      var refused = WsClient.refusal(ws(t, "/v1/responses"), Map.of());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body().toString()).contains("websocket.enabled");
      assertThat(upstream.upgrades).isEmpty();
    }
  }

  @Test
  void aFrameLargerThanTheLimitClosesTheSocketWith1009() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t =
            TestTollgate.start(upstream.baseUrl(), "websocket: {max_frame_bytes: 1KiB}")) {
      WsClient c = WsClient.open(ws(t, "/v1/responses"), Map.of());
      c.socket.sendText("{\"pad\":\"" + "x".repeat(4096) + "\"}", true);
      assertThat(c.closed.get(5, TimeUnit.SECONDS)[0]).isEqualTo(1009);
      assertThat(upstream.received).isEmpty();
    }
  }

  @Test
  void drainingClosesAnIdleSocketWith1001AtOnce() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl())) {
      WsClient c = WsClient.open(ws(t, "/v1/responses"), Map.of());
      long start = System.nanoTime();
      t.server().drainAndStop(java.time.Duration.ofSeconds(20));
      assertThat(c.closed.get(5, TimeUnit.SECONDS)[0]).isEqualTo(1001);
      assertThat(c.closeReason.get()).isEqualTo("Tollgate is shutting down");
      assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }
  }

  @Test
  void aTerminalEventPastMaxEventBytesIsRelayedWholeAndItsTurnEstimated() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t =
            TestTollgate.start(upstream.baseUrl(), "websocket: {max_event_bytes: 1KiB}")) {
      WsClient c = WsClient.open(ws(t, "/v1/responses"), Map.of());
      c.send(WebSocketPassthroughTest.CREATE.formatted("a BIG answer"));
      String done = c.until("response.completed").stream().reduce((a, b) -> b).orElseThrow();
      assertThat(done).contains("x".repeat(5000)); // relayed whole, just not read
      var turn = t.awaitCalls(1).get(0);
      assertThat(turn.path("status").asText()).isEqualTo("estimated");
      assertThat(turn.path("reasons").toString()).contains("event_bytes=");
      assertThat(new java.math.BigDecimal(turn.path("cost_usd").asText())).isPositive();
    }
  }
}
