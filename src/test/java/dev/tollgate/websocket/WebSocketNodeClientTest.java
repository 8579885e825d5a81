package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sdk.NodeSdk;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Realtime voice session from Node's {@code ws} client (what the openai SDK's realtime client and
 * most Node voice agents are built on), directly against the fake upstream and through Tollgate:
 * the client sees the same session both ways (subprotocol, events, usage, close code), compression
 * is not negotiated through Tollgate, and each turn is priced at audio rates.
 */
class WebSocketNodeClientTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode run(String url) throws Exception {
    Process p =
        new ProcessBuilder("node", "realtime-scenarios.mjs", url)
            .directory(NodeSdk.NODE_DIR.toFile())
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("node exited; stderr: %s", err).isZero();
    return JSON.readTree(out);
  }

  @Test
  void aNodeVoiceSessionIsTheSameThroughTollgateAndEachTurnIsPriced() throws Exception {
    NodeSdk.assumeInstalled("WebSocketNodeClientTest", "ws");
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl())) {
      String path = "/realtime?model=gpt-realtime";
      JsonNode direct = run(upstream.baseUrl().replace("http", "ws") + path);
      JsonNode through = run("ws://127.0.0.1:" + t.port() + "/v1" + path);

      assertThat(direct.path("extensions").asText()).contains("permessage-deflate");
      assertThat(through.path("extensions").asText()).isEmpty();
      for (String same : List.of("subprotocol", "types", "usage", "closeCode")) {
        assertThat(through.get(same)).as(same).isEqualTo(direct.get(same));
      }
      assertThat(through.path("subprotocol").asText()).isEqualTo("realtime");
      assertThat(through.path("usage")).hasSize(2);

      List<JsonNode> turns = t.awaitCalls(2);
      assertThat(turns).hasSize(2);
      for (JsonNode turn : turns) {
        assertThat(turn.path("api").asText()).isEqualTo("realtime");
        assertThat(new BigDecimal(turn.path("cost_usd").asText())).isEqualByComparingTo("0.0626");
      }
      assertThat(turns.get(0).path("session").asText())
          .isEqualTo(turns.get(1).path("session").asText());
    }
  }
}
