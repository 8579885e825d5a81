package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GracefulDrainTest {
  static final String SSE_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  static final String REQUEST =
      "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";

  @Test
  void drainingStopsAcceptingButLetsAStreamInFlightFinish() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  for (int i = 0; i < 8; i++) {
                    c.chunk("event: response.output_text.delta\ndata: {\"i\":" + i + "}\n\n");
                    Thread.sleep(100);
                  }
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      client.send(REQUEST);
      assertThat(client.readHead()).startsWith("HTTP/1.1 200");
      CompletableFuture<Void> drained =
          CompletableFuture.runAsync(
              () -> {
                try {
                  tollgate.server().drainAndStop(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(2)).until(() -> tollgate.server().traffic().draining());
      var ready =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/readyz")).build(),
              BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> new RawClient(tollgate.port()).close())
                      .isInstanceOf(ConnectException.class));

      String rest = client.readToEnd();
      assertThat(rest).contains("{\"i\":7}").endsWith("0\r\n\r\n");
      drained.get();
    }
  }

  @Test
  void aRequestArrivingOnAnIdleConnectionOnceDrainingBeganIsRefusedBeforeItIsForwarded()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger served =
        new java.util.concurrent.atomic.AtomicInteger();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    served.incrementAndGet();
                    c.write(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      assertThat(client.send(REQUEST).readResponse()).startsWith("HTTP/1.1 200");
      // Let the first call end on the server's side, so the connection is idle between calls.
      await().until(() -> tollgate.server().traffic().inFlight() == 0);
      Thread.sleep(200);
      // The moment between SIGTERM and the close of idle connections: draining has begun.
      tollgate.server().traffic().startDraining();
      client.send(REQUEST);
      // Read to the close: the answer, then the end of the connection (a reset after it is fine).
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = client.input().read(buf)) > 0; ) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // the connection went away after the answer
      }
      String refused = got.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close");
      assertThat(refused).contains("\"code\":\"shutting_down\"");
      assertThat(served.get()).isEqualTo(1); // the second request never reached the upstream
      assertThat(tollgate.server().traffic().inFlight()).isZero();
    }
  }
}
