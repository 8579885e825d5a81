package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading while the upstream floods it: Tollgate stops reading the upstream (so
 * the upstream's own connection pushes back and its sending stalls, instead of Tollgate buffering
 * the flood), and once the client reads again every frame arrives, unchanged and in order.
 */
class WebSocketBackPressureTest {
  static final int FRAMES = 60_000;
  static final int PAD = 1024;

  @Test
  void aClientThatStopsReadingStallsTheUpstreamAndThenGetsEveryFrameInOrder() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream();
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl())) {
      URI uri = URI.create("ws://127.0.0.1:" + tollgate.port() + "/v1/responses");
      WsClient c = WsClient.open(uri, Map.of(), false);
      c.send("{\"type\":\"flood\",\"count\":" + FRAMES + ",\"size\":" + PAD + "}");
      String pad = "x".repeat(PAD);
      assertThat(c.next()).isEqualTo(FakeSocketUpstream.floodFrame(0, pad));

      // The client asks for nothing more: the upstream must come to a stop well short of the end.
      int[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                int now = upstream.floodSent.get();
                boolean still = now == last[0];
                last[0] = now;
                return still;
              });
      int stalledAt = upstream.floodSent.get();
      long bytesHeldBack = (long) (FRAMES - stalledAt) * (PAD + 40);
      System.out.printf(
          "back-pressure: upstream stalled after %d of %d frames (%d MB held back)%n",
          stalledAt, FRAMES, bytesHeldBack >> 20);
      assertThat(upstream.sawUnwritable).isTrue();
      assertThat(stalledAt).isLessThan(FRAMES / 2);

      // Reading again: every frame, exactly as sent, in order.
      c.request(Long.MAX_VALUE);
      for (int n = 1; n < FRAMES; n++) {
        String m = c.next();
        if (!m.equals(FakeSocketUpstream.floodFrame(n, pad))) {
          throw new AssertionError("frame " + n + " arrived as " + m.substring(0, 60));
        }
      }
      assertThat(upstream.floodSent.get()).isEqualTo(FRAMES);
    }
  }
}
