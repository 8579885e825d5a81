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
            s.connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
            fillers.add(s);
          } catch (java.io.IOException e) {
            s.close();
            break; // the queue is full
          }
        }
        try (TestTollgate tollgate =
                TestTollgate.start(
                    "http://127.0.0.1:" + full.getLocalPort() + "/v1",
                    "upstream: {connect_timeout: 300ms}");
            RawClient client = new RawClient(tollgate.port())) {
          long start = System.nanoTime();
          String r = client.send(REQUEST).readResponse();
          long ms = (System.nanoTime() - start) / 1_000_000;
          assertThat(r)
              .startsWith("HTTP/1.1 504")
              .contains("\"code\":\"upstream_connect_timeout\"");
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
    Timed t =
        readThrough(
            c -> {
              c.readRequest();
              Thread.sleep(3_000);
            },
            "upstream: {first_byte_timeout: 300ms}",
            RawClient::readResponse);
    assertThat(t.received())
        .startsWith("HTTP/1.1 504")
        .contains("\"code\":\"upstream_timeout\"")
        .contains("\"type\":\"upstream_error\"");
    assertThat(t.ms()).isBetween(250L, 2_500L);
  }

  @Test
  void aStreamThatGoesSilentIsCutAfterTheIdleTimeout() throws Exception {
    Timed t =
        readThrough(
            silentAfterOneEvent(0), "upstream: {idle_timeout: 400ms}", RawClient::readToEnd);
    assertCutAfterOneEvent(t);
    assertThat(t.ms()).isBetween(350L, 3_000L);
  }

  /**
   * One timer serves both limits: waiting for a slow head must not be mistaken for a silent body.
   */
  @Test
  void aHeadLaterThanTheIdleTimeoutButWithinTheFirstByteTimeoutIsNotCut() throws Exception {
    Timed t =
        readThrough(
            steadyStream(900, 3, 150),
            "upstream: {first_byte_timeout: 3s, idle_timeout: 300ms}",
            RawClient::readResponse);
    assertThat(t.received()).startsWith("HTTP/1.1 200").contains(StreamingTest.event(2));
  }

  /**
   * ...and once the slow head is there, a body that then goes silent is still cut at the idle
   * limit.
   */
  @Test
  void aSlowHeadThenASilentBodyIsCutAtTheIdleTimeoutAfterTheHead() throws Exception {
    Timed t =
        readThrough(
            silentAfterOneEvent(700),
            "upstream: {first_byte_timeout: 3s, idle_timeout: 400ms}",
            RawClient::readToEnd);
    assertCutAfterOneEvent(t);
    // head at ~700 ms, cut ~400 ms later: well before the 3 s first-byte limit
    assertThat(t.ms()).isBetween(1_000L, 2_500L);
  }

  @Test
  void aSlowButSteadyStreamIsNotCut() throws Exception {
    Timed t =
        readThrough(
            steadyStream(0, 6, 200), "upstream: {idle_timeout: 500ms}", RawClient::readResponse);
    assertThat(t.received()).contains(StreamingTest.event(5));
  }

  private record Timed(String received, long ms) {}

  private interface Reader {
    String read(RawClient client) throws java.io.IOException;
  }

  /**
   * One request through Tollgate to a scripted upstream, read as {@code reader} says, and timed.
   */
  private static Timed readThrough(RawUpstream.Script script, String config, Reader reader)
      throws Exception {
    try (RawUpstream upstream = new RawUpstream(script);
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl(), config);
        RawClient client = new RawClient(tollgate.port())) {
      long start = System.nanoTime();
      String received = reader.read(client.send(REQUEST));
      return new Timed(received, (System.nanoTime() - start) / 1_000_000);
    }
  }

  /**
   * An upstream that sends the head after {@code headDelayMs}, then {@code events} events paced
   * {@code gapMs} apart.
   */
  private static RawUpstream.Script steadyStream(long headDelayMs, int events, long gapMs) {
    return c -> {
      c.readRequest();
      Thread.sleep(headDelayMs);
      c.write(StreamingTest.SSE_HEAD);
      for (int i = 0; i < events; i++) {
        c.chunk(StreamingTest.event(i));
        Thread.sleep(gapMs);
      }
      c.endChunks();
    };
  }

  /**
   * An upstream that sends the head after {@code headDelayMs} and one event, then nothing for 5 s.
   */
  private static RawUpstream.Script silentAfterOneEvent(long headDelayMs) {
    return c -> {
      c.readRequest();
      Thread.sleep(headDelayMs);
      c.write(StreamingTest.SSE_HEAD);
      c.chunk(StreamingTest.event(0));
      Thread.sleep(5_000);
    };
  }

  /** The client got the head and the event, then a cut connection: no terminating chunk. */
  private static void assertCutAfterOneEvent(Timed t) {
    assertThat(t.received())
        .startsWith("HTTP/1.1 200")
        .contains(StreamingTest.event(0))
        .doesNotEndWith("0\r\n\r\n");
  }
}
