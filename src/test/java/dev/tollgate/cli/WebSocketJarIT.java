package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.websocket.FakeSocketUpstream;
import dev.tollgate.websocket.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, on a 32 MB heap and 16 MB of direct memory, holds 1,000 idle Realtime sockets
 * (2,000 connections of its own): whatever a socket costs it, heap and buffers together, is under
 * 48 KB, or the jar would run out of memory (on the first run it had 22.7 MB of heap in use,
 * Tollgate itself included). With all of them open it still meters a turn on one and answers HTTP,
 * and it lets them all go when the clients do.
 */
class WebSocketJarIT {
  static final int SOCKETS = 1_000;
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void aThousandIdleSocketsFitInASmallHeapAndTheServerStillMeters() throws Exception {
    try (FakeSocketUpstream upstream = new FakeSocketUpstream()) {
      int port = ServeJarIT.freePort();
      int admin = ServeJarIT.freePort();
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(
          config,
          "server: {bind: 127.0.0.1, port: "
              + port
              + "}\nadmin: {bind: 127.0.0.1, port: "
              + admin
              + "}\nupstream: {url: '"
              + upstream.baseUrl()
              + "'}\npricing: {sync: off}\nlogging: {access_log: false}\n");
      Process p =
          ServeJarIT.start(
              dir,
              Map.of("JAVA_TOOL_OPTIONS", "-Xmx32m -XX:MaxDirectMemorySize=16m"),
              "serve",
              "--config",
              config.toString());
      try {
        ServeJarIT.awaitReady(admin);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/realtime?model=gpt-realtime");
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
          opening.add(CompletableFuture.supplyAsync(() -> open(uri)));
        }
        List<WsClient> clients = new ArrayList<>();
        for (CompletableFuture<WsClient> f : opening) {
          WsClient c = f.get();
          assertThat(c.next()).contains("session.created");
          clients.add(c);
        }
        assertThat(upstream.open.get()).isEqualTo(SOCKETS);
        assertThat(metric(admin, "tollgate_websockets_open\\{api=\"realtime\"}"))
            .isEqualTo(SOCKETS);
        System.out.printf(
            "%d idle sockets: jar heap used %.1f MB of 32%n",
            SOCKETS, metricSum(admin, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}") / 1e6);

        // Still metering, and still serving HTTP, with every socket open.
        WsClient one = clients.get(SOCKETS / 2);
        one.send("{\"type\":\"response.create\"}");
        one.until("response.done");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    metric(
                            admin,
                            "tollgate_websocket_turns_total\\{api=\"realtime\",ending=\"completed\"}")
                        == 1);
        assertThat(
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/readyz"))
                            .build(),
                        BodyHandlers.ofString())
                    .statusCode())
            .isEqualTo(200);
        assertThat(p.isAlive()).isTrue();

        clients.forEach(WsClient::abort);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> metric(admin, "tollgate_websockets_open\\{api=\"realtime\"}") == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> upstream.open.get() == 0);
      } finally {
        p.destroy();
        p.waitFor();
      }
      String stderr = Files.readString(dir.resolve("stderr.txt"));
      assertThat(stderr).doesNotContain("OutOfMemoryError");
    }
  }

  private static WsClient open(URI uri) {
    try {
      return WsClient.open(uri, Map.of(), "realtime");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private double metric(int admin, String series) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape(admin));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private double metricSum(int admin, String series) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape(admin));
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private String scrape(int admin) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
            BodyHandlers.ofString())
        .body();
  }
}
