package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SSE relay: frames go out as they arrive, and a stream's end (or breakage) is passed on. */
class StreamingTest {
  static final String SSE_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  static final String STREAM_REQUEST =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n"
          + "{\"model\":\"gpt-4o\",\"stream\":true}";

  static String event(int i) {
    return "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + i
        + "\"}}]}\n\n";
  }

  @Test
  void eachEventReachesTheClientBeforeTheNextIsSent() throws Exception {
    int events = 5;
    List<Long> sentAt = new CopyOnWriteArrayList<>();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  for (int i = 0; i < events; i++) {
                    sentAt.add(System.nanoTime());
                    c.chunk(event(i));
                    Thread.sleep(200);
                  }
                  c.chunk("data: [DONE]\n\n");
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      var response =
          http.send(
              HttpRequest.newBuilder(tollgate.uri("/v1/chat/completions"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"stream\":true}"))
                  .build(),
              BodyHandlers.ofInputStream());
      List<Long> receivedAt = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data: {")) {
            receivedAt.add(System.nanoTime());
          }
          lines.add(line);
        }
      }

      assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
      assertThat(String.join("\n", lines) + "\n")
          .isEqualTo(event(0) + event(1) + event(2) + event(3) + event(4) + "data: [DONE]\n\n");
      assertThat(receivedAt).hasSize(events);
      for (int i = 0; i + 1 < events; i++) {
        assertThat(receivedAt.get(i))
            .as("event %d arrived before event %d was sent", i, i + 1)
            .isLessThan(sentAt.get(i + 1));
        long gapMs = (receivedAt.get(i + 1) - receivedAt.get(i)) / 1_000_000;
        assertThat(gapMs).as("gap after event %d", i).isBetween(150L, 400L);
      }
    }
  }

  @Test
  void anUpstreamResetMidStreamCutsTheClientsStreamShort() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  c.chunk(event(0));
                  c.chunk(event(1));
                  Thread.sleep(100);
                  c.reset();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      String received = client.send(STREAM_REQUEST).readToEnd();

      assertThat(received).startsWith("HTTP/1.1 200").contains(event(0)).contains(event(1));
      // No terminating zero-length chunk: the client can tell the stream was cut, not finished.
      assertThat(received).doesNotEndWith("0\r\n\r\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> tollgate.server().traffic().inFlight() == 0);
    }
  }

  @Test
  void anUpstreamResetBeforeTheResponseIs502() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.reset();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(STREAM_REQUEST).readResponse();
      assertThat(r)
          .startsWith("HTTP/1.1 502")
          .contains("\"code\":\"upstream_connection_reset\"")
          .contains("\"type\":\"upstream_error\"");
    }
  }

  @Test
  void withoutADrainAClientThatDisconnectsMidStreamClosesTheUpstreamRequest() throws Exception {
    List<String> upstreamSaw = new CopyOnWriteArrayList<>();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  try {
                    for (int i = 0; i < 100; i++) {
                      c.chunk(event(i));
                      Thread.sleep(50);
                    }
                    upstreamSaw.add("finished");
                  } catch (java.io.IOException e) {
                    upstreamSaw.add("closed");
                  }
                });
        TestTollgate tollgate =
            TestTollgate.start(upstream.baseUrl(), "usage: {drain_after_disconnect: 0s}")) {
      try (RawClient client = new RawClient(tollgate.port())) {
        client.send(STREAM_REQUEST);
        assertThat(client.readHead()).startsWith("HTTP/1.1 200");
        assertThat(client.readLine()).isNotEmpty(); // first chunk size
      }
      await().atMost(Duration.ofSeconds(3)).until(() -> upstreamSaw.contains("closed"));
      assertThat(upstreamSaw).doesNotContain("finished");
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> tollgate.server().traffic().inFlight() == 0);
    }
  }

  @Test
  void keepAliveReusesOneUpstreamConnection() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.write(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 5; i++) {
        var r =
            http.send(
                HttpRequest.newBuilder(tollgate.uri("/v1/models")).build(),
                BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("{}");
      }
      assertThat(upstream.connections()).isEqualTo(1);
    }
  }

  @Test
  void aPooledConnectionTheUpstreamClosedIsReplacedWithoutAnError() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  // One request per connection, then an orderly close while Tollgate holds it idle.
                  c.readRequest();
                  c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 3; i++) {
        var r =
            http.send(
                HttpRequest.newBuilder(tollgate.uri("/v1/models")).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Thread.sleep(50);
      }
      assertThat(upstream.connections()).isEqualTo(3);
    }
  }
}
