package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connect failures and the three upstream timeouts, each answered in the OpenAI error shape. */
class UpstreamTimeoutTest {
  static final String REQUEST =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 18\r\n\r\n{\"model\":\"gpt-4o\"}";

  @Test
  void aRefusedConnectionIs502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (TestTollgate tollgate = TestTollgate.start("http://127.0.0.1:" + closedPort + "/v1");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).startsWith("HTTP/1.1 502").contains("\"code\":\"upstream_connect_failed\"");
    }
  }

  @Test
  void aConnectThatHangsIs504AfterTheConnectTimeout() throws Exception {
    // A listener whose accept queue is full drops new SYNs, so a connect to it just hangs.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket s = new Socket();
          try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
            fillers.add(s);
          } catch (java.io.IOException e) {
            s.close();
            break; // the queue is full
          }
        }
        try (TestTollgate tollgate =
                TestTollgate.start("http://127.0.0.1:" + full.getLocalPort() + "/v1", "upstream: {connect_timeout: 300ms}");
            RawClient client = new RawClient(tollgate.port())) {
          long start = System.nanoTime();
          String r = client.send(REQUEST).readResponse();
          long ms = (System.nanoTime() - start) / 1_000_000;
          assertThat(r).startsWith("HTTP/1.1 504").contains("\"code\":\"upstream_connect_timeout\"");
          assertThat(ms).isBetween(250L, 5_000L);
        }
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void noResponseWithinTheFirstByteTimeoutIs504() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  Thread.sleep(3_000);
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), "upstream: {first_byte_timeout: 300ms}");
        RawClient client = new RawClient(tollgate.port())) {
      long start = System.nanoTime();
      String r = client.send(REQUEST).readResponse();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(r).startsWith("HTTP/1.1 504").contains("\"code\":\"upstream_timeout\"").contains("\"type\":\"upstream_error\"");
      assertThat(ms).isBetween(250L, 2_500L);
    }
  }

  @Test
  void aStreamThatGoesSilentIsCutAfterTheIdleTimeout() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(StreamingTest.SSE_HEAD);
                  c.chunk(StreamingTest.event(0));
                  Thread.sleep(5_000);
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), "upstream: {idle_timeout: 400ms}");
        RawClient client = new RawClient(tollgate.port())) {
      long start = System.nanoTime();
      String received = client.send(REQUEST).readToEnd();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(received).startsWith("HTTP/1.1 200").contains(StreamingTest.event(0)).doesNotEndWith("0\r\n\r\n");
      assertThat(ms).isBetween(350L, 3_000L);
    }
  }

  /** One timer serves both limits: waiting for a slow head must not be mistaken for a silent body. */
  @Test
  void aHeadLaterThanTheIdleTimeoutButWithinTheFirstByteTimeoutIsNotCut() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  Thread.sleep(900);
                  c.write(StreamingTest.SSE_HEAD);
                  for (int i = 0; i < 3; i++) {
                    c.chunk(StreamingTest.event(i));
                    Thread.sleep(150);
                  }
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), "upstream: {first_byte_timeout: 3s, idle_timeout: 300ms}");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).startsWith("HTTP/1.1 200").contains(StreamingTest.event(2));
    }
  }

  /** ...and once the slow head is there, a body that then goes silent is still cut at the idle limit. */
  @Test
  void aSlowHeadThenASilentBodyIsCutAtTheIdleTimeoutAfterTheHead() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  Thread.sleep(700);
                  c.write(StreamingTest.SSE_HEAD);
                  c.chunk(StreamingTest.event(0));
                  Thread.sleep(5_000);
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), "upstream: {first_byte_timeout: 3s, idle_timeout: 400ms}");
        RawClient client = new RawClient(tollgate.port())) {
      long start = System.nanoTime();
      String received = client.send(REQUEST).readToEnd();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(received).startsWith("HTTP/1.1 200").contains(StreamingTest.event(0)).doesNotEndWith("0\r\n\r\n");
      // head at ~700 ms, cut ~400 ms later: well before the 3 s first-byte limit
      assertThat(ms).isBetween(1_000L, 2_500L);
    }
  }

  @Test
  void aSlowButSteadyStreamIsNotCut() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(StreamingTest.SSE_HEAD);
                  for (int i = 0; i < 6; i++) {
                    c.chunk(StreamingTest.event(i));
                    Thread.sleep(200);
                  }
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), "upstream: {idle_timeout: 500ms}");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).contains(StreamingTest.event(5));
    }
  }
}
