package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets end to end: the JDK's WebSocket client, Tollgate, and a fake OpenAI speaking the
 * Responses and Realtime socket protocols. Each billed turn is one ledger row, linked by the
 * session id the 101 carried.
 */
class WebSocketPassthroughTest {
  static final String CREATE =
      "{\"type\":\"response.create\",\"model\":\"gpt-5\",\"input\":[{\"role\":\"user\","
          + "\"content\":\"%s\"}]}";

  FakeSocketUpstream upstream;
  TestTollgate tollgate;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeSocketUpstream();
    tollgate = TestTollgate.start(upstream.baseUrl());
  }

  @AfterEach
  void stop() {
    tollgate.close();
    upstream.close();
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + tollgate.port() + pathAndQuery);
  }

  List<JsonNode> session(String id, int turns) throws Exception {
    List<JsonNode> calls = tollgate.awaitCalls(turns);
    return calls.stream().filter(c -> id.equals(c.path("session").asText())).toList();
  }

  @Test
  void eachResponsesTurnIsOneLedgerRowPricedAndLinkedBySession() throws Exception {
    WsClient c =
        WsClient.open(
            ws("/v1/responses?trace=1"),
            Map.of("Authorization", "Bearer sk-client", "x-tollgate-team", "search"));
    c.send(CREATE.formatted("first"));
    List<String> first = c.until("response.completed");
    c.send(CREATE.formatted("second"));
    c.until("response.completed");
    c.socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
    assertThat(c.closed.get(5, TimeUnit.SECONDS)[0]).isEqualTo(1000);

    assertThat(first.get(0)).contains("\"type\":\"response.created\"");
    assertThat(first).anyMatch(m -> m.contains("Hello from the fake."));
    FakeSocketUpstream.Upgrade up = upstream.upgrades.get(0);
    assertThat(up.uri()).isEqualTo("/v1/responses?trace=1");
    assertThat(up.headers().get("authorization")).isEqualTo("Bearer sk-client");
    assertThat(up.headers().contains("x-tollgate-team")).isFalse();
    assertThat(up.headers().contains("sec-websocket-extensions")).isFalse();
    assertThat(upstream.received).hasSize(2);
    assertThat(upstream.received.get(0)).isEqualTo(CREATE.formatted("first"));

    String sessionId = latestSession(2);
    List<JsonNode> turns = session(sessionId, 2);
    assertThat(turns).hasSize(2);
    for (JsonNode t : turns) {
      assertThat(t.path("api").asText()).isEqualTo("responses");
      assertThat(t.path("method").asText()).isEqualTo("WS");
      assertThat(t.path("model").asText()).isEqualTo("gpt-5");
      assertThat(t.path("team").asText()).isEqualTo("search");
      assertThat(t.path("status").asText()).isEqualTo("priced");
      // 4,000 uncached x $1.25 + 8,000 cached x $0.125 + 400 out x $10, per 1M
      assertThat(new java.math.BigDecimal(t.path("cost_usd").asText()))
          .isEqualByComparingTo("0.010");
    }
    assertThat(turns.get(0).path("id").asText()).isNotEqualTo(turns.get(1).path("id").asText());
    String filtered = get("/admin/calls?session=" + sessionId);
    assertThat(filtered.split("\"session\"", -1)).hasSize(3);
  }

  @Test
  void realtimeTurnsArePricedAtAudioRatesIncludingThoseTheServerStarts() throws Exception {
    WsClient c =
        WsClient.open(
            ws("/v1/realtime?model=gpt-realtime"),
            Map.of("Authorization", "Bearer sk-client"),
            "realtime");
    assertThat(c.socket.getSubprotocol()).isEqualTo("realtime");
    assertThat(c.next()).contains("session.created");
    c.send(
        "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":"
            + "{\"transcription\":{\"model\":\"gpt-4o-transcribe\"}}}}}");
    c.until("session.updated");
    c.send("{\"type\":\"response.create\"}");
    c.until("response.done");
    c.send("{\"type\":\"input_audio_buffer.commit\"}"); // server VAD: a turn nobody created
    assertThat(c.until("response.done"))
        .anyMatch(m -> m.contains("input_audio_transcription.completed"));
    c.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    String sessionId = latestSession(3);

    List<JsonNode> calls = session(sessionId, 3);
    assertThat(calls).hasSize(3);
    // The transcription of the caller's audio is a call of its own, at the transcription model's
    // token rates (unconfirmed, so estimated): 20 text x $2.50 + 100 audio x $6 + 30 out x $10.
    List<JsonNode> heard =
        calls.stream().filter(c2 -> c2.path("model").asText().equals("gpt-4o-transcribe")).toList();
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).path("status").asText()).isEqualTo("estimated");
    assertThat(heard.get(0).path("reasons").toString()).contains("price_unconfirmed");
    assertThat(heard.get(0).path("cost_usd").asText()).isEqualTo("0.00095");
    assertThat(heard.get(0).path("tokens").path("input").asLong()).isEqualTo(120);
    List<JsonNode> turns = calls.stream().filter(c2 -> !heard.contains(c2)).toList();
    for (JsonNode t : turns) {
      assertThat(t.path("api").asText()).isEqualTo("realtime");
      assertThat(t.path("model").asText()).isEqualTo("gpt-realtime");
      assertThat(t.path("status").asText()).isEqualTo("priced");
      // text in 400 x 4 + audio in 600 x 32 + cached 500 x 0.4 + text out 200 x 16
      // + audio out 600 x 64 = 62,600 per 1M
      assertThat(new java.math.BigDecimal(t.path("cost_usd").asText()))
          .isEqualByComparingTo("0.0626");
    }
    String metrics = getAdmin("/metrics");
    assertThat(metrics)
        .contains("tollgate_websocket_turns_total{api=\"realtime\",ending=\"completed\"} 3.0"); // 2
    // turns,
    // 1
    // transcription
    assertThat(metrics)
        .containsPattern(
            "tollgate_websocket_bytes_total\\{api=\"realtime\",from=\"upstream\"} [1-9]");
  }

  @Test
  void fragmentedMessagesStayFragmentedAndAreStillMetered() throws Exception {
    WsClient c = WsClient.open(ws("/v1/realtime?model=gpt-realtime"), Map.of(), "realtime");
    c.next(); // session.created
    c.socket.sendText("{\"type\":\"response.create\",", false).get(5, TimeUnit.SECONDS);
    c.socket.sendText("\"fragment\":true}", true).get(5, TimeUnit.SECONDS);
    String done = c.until("response.done").get(3);
    assertThat(FakeSocketUpstream.JSON.readTree(done).path("type").asText())
        .isEqualTo("response.done");
    assertThat(upstream.continuations.get()).isEqualTo(1); // the client's second part
    assertThat(upstream.received)
        .containsExactly("{\"type\":\"response.create\",\"fragment\":true}");
    String sessionId = latestSession(1);
    JsonNode turn = session(sessionId, 1).get(0);
    assertThat(new java.math.BigDecimal(turn.path("cost_usd").asText()))
        .isEqualByComparingTo("0.0626");
    assertThat(c.partials.get()).isGreaterThanOrEqualTo(2); // the fake's three frames came as parts
  }

  /**
   * Read with a raw socket rather than the JDK's client: on a connection that drops, that client
   * may report the end before a frame it had already received (the test was flaky with it), and
   * what is checked here is Tollgate's relay: every frame the upstream sent before it dropped
   * reaches the client, then the connection ends without a close frame, as the upstream's did.
   */
  @Test
  void aTurnCutMidwayIsRecordedAsEstimated() throws Exception {
    List<String> got = new java.util.ArrayList<>();
    boolean closeFrame = false;
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", tollgate.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /v1/responses HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      + "Authorization: Bearer sk-client\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
      assertThat(readHead(in)).startsWith("HTTP/1.1 101");
      s.getOutputStream().write(maskedText(CREATE.formatted("please CUT this")));
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          break; // the end: what came before it is all there is
        }
        int len = in.readUnsignedByte() & 0x7f; // server frames are not masked
        long n = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
        byte[] payload = in.readNBytes((int) n);
        if ((b0 & 0x0f) == 0x8) {
          closeFrame = true;
        } else if ((b0 & 0x0f) == 0x1) {
          got.add(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(got).anyMatch(m -> m.contains("response.created"));
    assertThat(got).anyMatch(m -> m.contains("output_text.delta"));
    assertThat(closeFrame).as("the upstream dropped without a close frame").isFalse();
    String sessionId = latestSession(1);
    JsonNode turn = session(sessionId, 1).get(0);
    assertThat(turn.path("status").asText()).isEqualTo("estimated");
    assertThat(turn.path("reasons").toString()).contains("usage_missing");
    assertThat(turn.path("tokens").path("output").asLong()).isPositive();
    assertThat(turn.path("tokens").path("input").asLong()).isPositive();
  }

  /** A client's text frame: final, masked (RFC 6455 requires it of clients). */
  private static byte[] maskedText(String text) {
    byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x81);
    if (data.length < 126) {
      out.write(0x80 | data.length);
    } else {
      out.write(0x80 | 126);
      out.write(data.length >> 8);
      out.write(data.length & 0xff);
    }
    out.writeBytes(mask);
    for (int i = 0; i < data.length; i++) {
      out.write(data[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  @Test
  void pingsPongsAndCloseCodesAreTheEndpointsOwn() throws Exception {
    WsClient c = WsClient.open(ws("/v1/responses"), Map.of());
    c.socket
        .sendPing(java.nio.ByteBuffer.wrap("are you there".getBytes()))
        .get(5, TimeUnit.SECONDS);
    java.nio.ByteBuffer pong = c.pongs.poll(5, TimeUnit.SECONDS);
    assertThat(pong).isNotNull();
    assertThat(new String(pong.array(), pong.position(), pong.remaining()))
        .isEqualTo("are you there");
    c.socket.sendClose(4000, "bye now").get(5, TimeUnit.SECONDS);
    // The fake echoes the client's close: its code made the round trip through Tollgate.
    assertThat(c.closed.get(5, TimeUnit.SECONDS)[0]).isEqualTo(4000);
    assertThat(c.closeReason.get()).isEqualTo("bye now");
  }

  @Test
  void anUpstreamThatRefusesTheUpgradeIsAnsweredAsItAnswered() throws Exception {
    try (RawUpstream refusing =
            new RawUpstream(
                conn -> {
                  if (conn.readRequest() != null) {
                    conn.writeJson("401 Unauthorized", "{\"error\":{\"message\":\"bad key\"}}");
                  }
                });
        TestTollgate t = TestTollgate.start(refusing.baseUrl())) {
      URI uri = URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses");
      var refused = WsClient.refusal(uri, Map.of());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body().toString()).contains("bad key");
    }
  }

  @Test
  void theClientGetsTheUpstreamsUpgradeAnswerWithTheSessionId() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", tollgate.port())) {
      s.getOutputStream()
          .write(
              ("GET /v1/responses HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 101");
      // RFC 6455's own example: the key above must be answered with this accept value.
      assertThat(head).containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      assertThat(head).containsIgnoringCase("x-tollgate-request-id: ");
      assertThat(head.toLowerCase())
          .doesNotContain("sec-websocket-extensions")
          .doesNotContain("content-length");
    }
  }

  private static String readHead(java.io.InputStream in) throws java.io.IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }

  @Test
  void upgradesElsewhereGetAClearError() throws Exception {
    var refused = WsClient.refusal(ws("/v1/chat/completions"), Map.of());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body().toString())
        .contains("WebSockets are carried on /v1/responses and /v1/realtime only");
  }

  /** The session of the newest recorded turn, once {@code turns} rows are recorded. */
  private String latestSession(int turns) {
    String id = tollgate.awaitCalls(turns).get(0).path("session").asText();
    assertThat(id).isNotEmpty();
    return id;
  }

  private String get(String path) throws Exception {
    return WsClient.HTTP
        .send(HttpRequest.newBuilder(tollgate.adminUri(path)).build(), BodyHandlers.ofString())
        .body();
  }

  private String getAdmin(String path) throws Exception {
    return get(path);
  }
}
