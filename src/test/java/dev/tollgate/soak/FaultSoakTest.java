package dev.tollgate.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Mixed traffic for ~40 s with every upstream fault the hardening issue names injected at random:
 * hostile usage values, non-strict JSON in streams, resets mid-body, silence past the first-byte
 * timeout, errors, absurd usage. Afterwards: one ledger row per call the upstream read, no negative
 * money anywhere, /metrics answered throughout, the writer alive, the heap flat.
 */
class FaultSoakTest {
  private static final Duration RUN = Duration.ofSeconds(40);
  private static final List<String> FAULTS =
      List.of("ok", "stream", "nan", "hostile", "huge", "reset", "error", "silent");

  private static final String SSE =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";
  private static final String USAGE =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n";

  private static String json(String promptTokens) {
    String body =
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":"
            + promptTokens
            + ",\"completion_tokens\":3}}";
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /** The fake upstream: the request's "model" names the fault to answer with. */
  private static void answer(RawUpstream.Connection c, AtomicInteger read) throws Exception {
    RawUpstream.Request r;
    while ((r = c.readRequest()) != null) {
      read.incrementAndGet();
      String fault = r.body().replaceAll(".*\"model\":\"([a-z]+)\".*", "$1");
      switch (fault) {
        case "stream", "nan" -> {
          c.write(SSE);
          c.chunk(CHUNK);
          if (fault.equals("nan")) {
            c.chunk(
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"score\":NaN}}]}\n\n");
          }
          c.chunk(USAGE);
          c.chunk("data: [DONE]\n\n");
          c.endChunks();
        }
        case "hostile" -> c.write(json("\"100000000000000\""));
        case "huge" -> c.write(json("5000000000"));
        case "reset" -> {
          c.write(SSE);
          c.chunk(CHUNK);
          c.reset();
          return;
        }
        case "error" ->
            c.write(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        case "silent" -> {
          Thread.sleep(1_500); // past the first-byte timeout: Tollgate gives up on it
          c.socket().close();
          return;
        }
        default -> c.write(json("12"));
      }
    }
  }

  @Test
  void underMixedFaultsEveryCallIsRecordedOnceAndNothingStops() throws Exception {
    AtomicInteger read = new AtomicInteger();
    HttpClient http = HttpClient.newHttpClient();
    try (RawUpstream upstream = new RawUpstream(c -> answer(c, read));
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {first_byte_timeout: 1s}\nledger: {batch_window: 50ms}")) {
      long heapBefore = heapAfterGc();
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        long seed = 20261201L + k; // seeded: a failing run replays the same mix
        threads.add(new Thread(() -> clientLoop(t.port(), new Random(seed), stop)));
      }
      threads.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    int code =
                        http.send(
                                HttpRequest.newBuilder(t.adminUri("/metrics")).build(),
                                BodyHandlers.ofString())
                            .statusCode();
                    if (code != 200) {
                      problems.add("/metrics answered " + code);
                    }
                    Thread.sleep(500);
                  } catch (Exception e) {
                    problems.add("/metrics failed: " + e);
                  }
                }
              }));
      threads.forEach(Thread::start);
      Thread.sleep(RUN.toMillis());
      stop.set(true);
      for (Thread th : threads) {
        th.join(20_000);
      }

      // One row per call the upstream read (each ends with a row, whatever happened to it).
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> rows(t, "SELECT COUNT(*) FROM calls") == read.get());
      System.out.println(
          "soak: " + read.get() + " calls read by the upstream, as many ledger rows");
      assertThat(read.get()).isGreaterThan(200);
      assertThat(
              rows(
                  t,
                  "SELECT COUNT(*) FROM calls WHERE cost_total < 0 OR cost_input < 0 OR cost_output < 0"))
          .isZero();
      assertThat(rows(t, "SELECT COUNT(*) FROM daily_spend WHERE cost_total < 0 OR requests < 0"))
          .isZero();
      assertThat(rows(t, "SELECT SUM(requests) FROM daily_spend")).isEqualTo(read.get());
      // Hostile and absurd usage was estimated, never priced at $0.
      assertThat(
              rows(
                  t,
                  "SELECT COUNT(*) FROM calls WHERE reasons LIKE '%usage_invalid%' AND status = 'estimated' AND cost_total > 0"))
          .isPositive();
      assertThat(problems).isEmpty();
      assertThat(t.server().traffic().inFlight()).isZero();
      var ready =
          http.send(HttpRequest.newBuilder(t.adminUri("/readyz")).build(), BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("the ledger writer is alive").isEqualTo(200);
      assertThat(heapAfterGc() - heapBefore).as("heap growth after GC").isLessThan(96L << 20);
    }
  }

  private static void clientLoop(int port, Random random, AtomicBoolean stop) {
    RawClient client = null;
    while (!stop.get()) {
      try {
        if (client == null) {
          client = new RawClient(port);
        }
        String fault = FAULTS.get(random.nextInt(FAULTS.size()));
        boolean stream = fault.equals("stream") || fault.equals("nan") || fault.equals("reset");
        String body =
            "{\"model\":\""
                + fault
                + "\",\"stream\":"
                + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        client
            .send(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
            .readResponse();
      } catch (Exception cut) {
        // A reset or a timeout cut this call's response: start over on a new connection.
        try {
          if (client != null) {
            client.close();
          }
        } catch (Exception ignored) {
          // already gone
        }
        client = null;
      }
    }
    try {
      if (client != null) {
        client.close();
      }
    } catch (Exception ignored) {
      // already gone
    }
  }

  private static long rows(TestTollgate t, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + t.dataDir().resolve("ledger.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
