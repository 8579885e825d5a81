package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.telemetry.OtlpReceiver;
import dev.tollgate.testing.TestTollgate;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 32: each turn of a traced WebSocket session is a span of the caller's trace. */
class WebSocketTracingTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT = "b7ad6b7169203331";
  static final String CREATE =
      "{\"type\":\"response.create\",\"model\":\"gpt-5\",\"input\":[{\"role\":\"user\","
          + "\"content\":\"%s\"}]}";

  @Test
  void eachTurnIsAServerSpanOfTheUpgradesTraceWithItsCostAndSession() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        OtlpReceiver otlp = new OtlpReceiver();
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "telemetry: {traces: true, export_interval: 100ms, endpoint: '"
                    + otlp.endpoint()
                    + "'}")) {
      String parent = "00-" + TRACE + "-" + PARENT + "-01";
      WsClient c =
          WsClient.open(
              URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses"),
              Map.of("traceparent", parent, "x-tollgate-team", "search"));
      c.send(CREATE.formatted("first"));
      c.until("response.completed");
      c.send(CREATE.formatted("second"));
      c.until("response.completed");
      c.socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
      List<JsonNode> rows = t.awaitCalls(2);

      await().atMost(Duration.ofSeconds(15)).until(() -> otlp.spans().size() >= 2);
      List<Span> spans = otlp.spans();
      assertThat(spans).hasSize(2);
      for (Span s : spans) {
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(OtlpReceiver.hex(s.getTraceId())).isEqualTo(TRACE);
        assertThat(OtlpReceiver.hex(s.getParentSpanId())).isEqualTo(PARENT);
        Map<String, String> a = OtlpReceiver.attributes(s.getAttributesList());
        JsonNode row =
            rows.stream()
                .filter(r -> r.get("id").asText().equals(a.get("tollgate.request_id")))
                .findFirst()
                .orElseThrow();
        assertThat(a)
            .containsEntry("tollgate.cost.usd", row.get("cost_usd").asText())
            .containsEntry("tollgate.session_id", row.get("session").asText())
            .containsEntry("tollgate.team", "search");
      }
      assertThat(spans.get(0).getSpanId()).isNotEqualTo(spans.get(1).getSpanId());
      // The upgrade went upstream with the caller's own traceparent: no span of Tollgate's is
      // the upstream's parent, since the socket outlives any one span.
      assertThat(upstream.upgrades.get(0).headers().get("traceparent")).isEqualTo(parent);
    }
  }
}
