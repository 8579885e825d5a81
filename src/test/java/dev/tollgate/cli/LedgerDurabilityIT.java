package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.CallLoad;
import dev.tollgate.testing.RawUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar under load: what the ledger holds after kill -9, and after SIGTERM. */
class LedgerDurabilityIT {
  static final String BODY =
      "{\"model\":\"gpt-4o-mini-2024-07-18\",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":10}}";
  static final long BATCH_WINDOW_MS = 100;

  @TempDir Path dir;
  final AtomicInteger served = new AtomicInteger();

  RawUpstream upstream() throws IOException {
    return new RawUpstream(
        c -> {
          while (c.readRequest() != null) {
            Thread.sleep(2);
            c.writeJson("200 OK", BODY);
            served.incrementAndGet();
          }
        });
  }

  Process start(String upstreamUrl, int port, int admin) throws IOException {
    Process p =
        ServeJarIT.start(
            dir,
            Map.of(
                "TOLLGATE_PORT",
                "" + port,
                "TOLLGATE_ADMIN_PORT",
                "" + admin,
                "TOLLGATE_UPSTREAM_URL",
                upstreamUrl),
            "--config",
            Path.of("config/tollgate.yaml").toAbsolutePath().toString());
    ServeJarIT.awaitReady(admin);
    return p;
  }

  Set<String> ledgerIds() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/ledger.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM calls")) {
      while (r.next()) {
        ids.add(r.getString(1));
      }
    }
    return ids;
  }

  /** Batches committed within 100 ms of their oldest call's answer so far, and all batches. */
  static long[] commitLags(int admin) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                    .build(),
                BodyHandlers.ofString())
            .body();
    long[] counts = {-1, -1};
    for (String line : body.split("\n")) {
      String value = line.substring(line.lastIndexOf(' ') + 1);
      if (line.startsWith("tollgate_ledger_commit_lag_seconds_bucket{le=\"0.1\"}")) {
        counts[0] = (long) Double.parseDouble(value);
      } else if (line.startsWith("tollgate_ledger_commit_lag_seconds_count")) {
        counts[1] = (long) Double.parseDouble(value);
      }
    }
    assertThat(counts).as("tollgate_ledger_commit_lag_seconds in /metrics").doesNotContain(-1L);
    return counts;
  }

  static URI chat(int port) {
    return URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void killMinus9LosesNoCallAnsweredMoreThanOneBatchWindowBeforeIt() throws Exception {
    try (RawUpstream upstream = upstream()) {
      int port = freePort();
      int admin = freePort();
      Process p = start(upstream.baseUrl(), port, admin);
      CallLoad load = new CallLoad(chat(port), 4, 0);
      Map<String, Long> completedAt = load.answered();
      try (load) {
        Thread.sleep(1_000); // past start-up's first, cold commits
        long[] before = commitLags(admin);
        Thread.sleep(1_500);
        long[] after = commitLags(admin);
        long killedAt = System.nanoTime();
        p.destroyForcibly(); // SIGKILL: no shutdown code runs
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        load.close();
        // The writer commits each call within the window of its answer (CommitClock), so what
        // was answered a window before the kill is there; the margin is the client's own delay
        // between the server's answer and its clock reading, and scheduling on a busy machine.
        long batches = after[1] - before[1];
        assertThat(batches).isPositive();
        assertThat(after[0] - before[0])
            .as("batches committed within the window of their oldest call's answer")
            .isEqualTo(batches);
        long safeBefore = killedAt - TimeUnit.MILLISECONDS.toNanos(BATCH_WINDOW_MS + 50);
        Set<String> mustBeThere = new HashSet<>();
        completedAt.forEach(
            (id, t) -> {
              if (t < safeBefore) {
                mustBeThere.add(id);
              }
            });
        assertThat(mustBeThere).hasSizeGreaterThan(100);
        assertThat(ledgerIds()).containsAll(mustBeThere);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void sigtermUnderLoadLosesNoCallTheUpstreamServed() throws Exception {
    try (RawUpstream upstream = upstream()) {
      int port = freePort();
      Process p = start(upstream.baseUrl(), port, freePort());
      CallLoad load = new CallLoad(chat(port), 4, 0);
      Map<String, Long> completedAt = load.answered();
      try (load) {
        Thread.sleep(1_500);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        load.close();
        Set<String> ids = ledgerIds();
        assertThat(served.get()).isGreaterThan(100);
        assertThat(ids).hasSize(served.get()).containsAll(completedAt.keySet());
      } finally {
        p.destroyForcibly();
      }
    }
  }
}
