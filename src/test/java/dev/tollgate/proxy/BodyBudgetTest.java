package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Request bodies being received on all connections together are bounded: parked uploads cannot fill
 * memory; a body that does not fit is answered 503 at once, and room comes back as bodies finish.
 */
class BodyBudgetTest {
  private static final String CONFIG =
      "server: {max_request_body: 48KiB, max_buffered_request_bytes: 64KiB}";

  private static String head(int length) {
    return "POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  @Test
  void aBodyThatDoesNotFitBesideTheParkedOnesIs503AndRoomComesBackWhenOneFinishes()
      throws Exception {
    AtomicInteger served = new AtomicInteger();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    served.incrementAndGet();
                    c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                  }
                });
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), CONFIG);
        RawClient parked = new RawClient(t.port());
        RawClient second = new RawClient(t.port())) {
      String body = "x".repeat(40 * 1024);
      parked.send(head(body.length()) + body.substring(0, 1024)); // parks with 40 KiB reserved
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> t.server().traffic().bodyBytesInFlight() == body.length());

      String refused = second.send(head(body.length()) + body).readResponse();
      assertThat(refused).startsWith("HTTP/1.1 503").contains("\"code\":\"request_buffers_full\"");
      assertThat(served.get()).isZero();

      // The parked body arrives after all: it is served and its room given back.
      assertThat(parked.send(body.substring(1024)).readResponse()).startsWith("HTTP/1.1 200");
      assertThat(t.server().traffic().bodyBytesInFlight()).isZero();
      // The refused connection is still usable, and now there is room.
      assertThat(second.send(head(body.length()) + body).readResponse()).startsWith("HTTP/1.1 200");
      assertThat(served.get()).isEqualTo(2);
    }
  }

  @Test
  void aClientThatLeavesMidBodyGivesItsRoomBack() throws Exception {
    try (RawUpstream upstream = new RawUpstream(c -> c.readRequest());
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), CONFIG)) {
      try (RawClient leaving = new RawClient(t.port())) {
        leaving.send(head(30_000) + "x".repeat(100));
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> t.server().traffic().bodyBytesInFlight() == 30_000);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> t.server().traffic().bodyBytesInFlight() == 0);
    }
  }
}
