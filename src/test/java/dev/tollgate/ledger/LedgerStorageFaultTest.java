package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.CallLoad;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.SmallDisk;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ledger through a full disk, under load: the writer keeps what it holds, readiness turns red,
 * writes resume by themselves once there is room, every answered call has exactly one row, and the
 * daily totals equal the calls to the pico-dollar (they used to count each retry again: 4.6x).
 * Likewise when every PostgreSQL connection is cut, mid-commit included.
 */
class LedgerStorageFaultTest {
  static final String ANSWER =
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":56,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":1024}}}";
  static final String APP = "tollgate-fault-test";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aFullDiskLosesNoAnsweredCallAndCountsNoneTwice() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(6L << 20);
        RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", ANSWER);
                  }
                })) {
      Path data = disk.path().resolve("data");
      TestTollgate t =
          TestTollgate.start(
              upstream.baseUrl(), "data_dir: '" + data + "'\nlogging: {access_log: false}");
      CallLoad load = new CallLoad(t.uri("/v1/chat/completions"), 4, 5);
      Map<String, Long> answered = load.answered();
      try (load) {
        Thread.sleep(1_000);
        disk.fill();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> status(t, "/readyz") == 503 && metric(t, "tollgate_ledger_writer_up") == 0);
        int whileFull = answered.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() > whileFull + 400);
        assertThat(metric(t, "tollgate_ledger_write_errors_total")).isPositive();

        disk.free();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> status(t, "/readyz") == 200 && metric(t, "tollgate_ledger_writer_up") == 1);
        Thread.sleep(500);
      }
      flushed(t);
      verify(
          DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ledger.db")),
          answered.keySet());
    }
  }

  @Test
  void aDroppedPostgresConnectionLosesNoAnsweredCallAndCountsNoneTwice() throws Exception {
    try (TestLedgers ledgers = new TestLedgers();
        RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", ANSWER);
                  }
                })) {
      String url = ledgers.config("postgres").url().orElseThrow() + "&ApplicationName=" + APP;
      TestTollgate t =
          TestTollgate.start(
              upstream.baseUrl(),
              "ledger: {url: '" + url + "', batch_window: 50ms}\nlogging: {access_log: false}");
      CallLoad load = new CallLoad(t.uri("/v1/chat/completions"), 4, 5);
      try (load;
          Connection admin = DriverManager.getConnection(TestLedgers.PG);
          Statement kill = admin.createStatement()) {
        Thread.sleep(1_000);
        // Every connection Tollgate holds or opens is cut, again and again, mid-commit too.
        long until = System.nanoTime() + 2_500_000_000L;
        while (System.nanoTime() < until) {
          kill.execute(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                  + APP
                  + "'");
          Thread.sleep(20);
        }
        assertThat(metric(t, "tollgate_ledger_write_errors_total")).isPositive();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> status(t, "/readyz") == 200 && metric(t, "tollgate_ledger_writer_up") == 1);
        Thread.sleep(500);
      }
      flushed(t);
      verify(DriverManager.getConnection(url), load.answered().keySet());
    }
  }

  /** Waits until every answered call is committed, then stops the server (nothing dropped). */
  private static void flushed(TestTollgate t) throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(t, "tollgate_ledger_unflushed_calls") == 0);
    assertThat(metric(t, "tollgate_ledger_dropped_total")).isZero();
    t.close();
  }

  /** Every answered call has exactly one row, and the daily totals equal the calls exactly. */
  private static void verify(Connection connection, Set<String> answered) throws Exception {
    try (Connection c = connection;
        Statement s = c.createStatement()) {
      Set<String> ids = new HashSet<>();
      try (ResultSet r = s.executeQuery("SELECT id FROM calls")) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
      assertThat(answered).hasSizeGreaterThan(300);
      assertThat(ids).as("every 200 has its row, and only those").isEqualTo(answered);
      long[] calls = sums(s, "SELECT COUNT(*), SUM(cost_total), SUM(cost_cached_input) FROM calls");
      long[] daily =
          sums(s, "SELECT SUM(requests), SUM(cost_total), SUM(cost_cached_input) FROM daily_spend");
      assertThat(daily).as("daily totals equal the calls exactly").containsExactly(calls);
    }
  }

  private static long[] sums(Statement s, String sql) throws Exception {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
    }
  }

  private int status(TestTollgate t, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(t.adminUri(path)).build(), BodyHandlers.ofString())
        .statusCode();
  }

  /** A metric's value from /metrics (the first series of that name). */
  static double metric(TestTollgate t, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body =
        http.send(HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
