package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request must arrive whole within server.request_read_timeout of its first byte. */
class RequestDeadlineTest {
  private static final String CONFIG =
      "server: {request_read_timeout: 500ms, client_idle_timeout: 30s}";

  private static RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          while (c.readRequest() != null) {
            c.write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
          }
        });
  }

  @Test
  void aClientTricklingItsHeadersIsAnswered408AndClosed() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), CONFIG);
        Socket s = new Socket("127.0.0.1", t.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      byte[] head =
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: "
              .getBytes(StandardCharsets.US_ASCII);
      long start = System.nanoTime();
      try {
        for (byte b : head) { // one byte every 50 ms: the idle timeout never fires
          out.write(b);
          out.flush();
          Thread.sleep(50);
        }
      } catch (java.io.IOException closed) {
        // Tollgate may have closed the connection while we were still trickling
      }
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_read_timeout\"");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
      assertThat(upstream.connections()).isZero();
    }
  }

  @Test
  void aBodyThatStopsHalfwayIsCutAtTheDeadline() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), CONFIG);
        RawClient client = new RawClient(t.port())) {
      client.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"model\":");
      assertThat(client.readResponse()).startsWith("HTTP/1.1 408");
      assertThat(upstream.connections()).isZero();
    }
  }

  @Test
  void requestsThatArriveInTimeOnOneConnectionAreNeverCut() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), CONFIG);
        RawClient client = new RawClient(t.port())) {
      String body = "{\"model\":\"gpt-4o-mini\"}";
      for (int i = 0; i < 3; i++) {
        client.send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
        assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        Thread.sleep(400); // idle between calls longer than the deadline minus a call: not counted
      }
    }
  }
}
