package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica killed (SIGKILL, no goodbye) while its calls hold reservations: the other replica
 * counts them until the lease ends, then they are free again.
 */
class BudgetReplicaKillIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aKilledReplicasReservationsLapseWithItsLease() throws Exception {
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: kill, scope: 'team:kill', limit_usd: 10, period: month}\n");
    CountDownLatch never = new CountDownLatch(1);
    try (TestLedgers ledgers = new TestLedgers();
        // Reads each call and never answers: the calls stay in flight, holding their reservations.
        RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  never.await(60, TimeUnit.SECONDS);
                })) {
      LedgerConfig pg = ledgers.config("postgres");
      String shared =
          "ledger: {url: '"
              + pg.url().orElseThrow()
              + "'}\nbudgets: {file: '"
              + dir.resolve("budgets.yaml")
              + "', sync_interval: 200ms, lease: 1s}\n";
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(
          config, shared + "upstream: {url: '" + upstream.baseUrl() + "'}\npricing: {sync: off}\n");
      int port = ServeJarIT.freePort();
      int admin = ServeJarIT.freePort();
      Process doomed =
          ServeJarIT.start(
              dir,
              Map.of("TOLLGATE_PORT", "" + port, "TOLLGATE_ADMIN_PORT", "" + admin),
              "--config",
              config.toString());
      try (TestTollgate survivor = TestTollgate.start(upstream.baseUrl(), shared)) {
        ServeJarIT.awaitReady(admin);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 4; i++) {
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                  .header("X-Tollgate-Team", "kill")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"gpt-4o\",\"max_tokens\":100000,\"messages\":[]}"))
                  .build(),
              BodyHandlers.discarding());
        }
        // 4 x 100,000 output tokens of gpt-4o at $10 per 1M: $4 held, seen by the survivor.
        await().atMost(Duration.ofSeconds(10)).until(() -> reserved(http, survivor) >= 4.0);
        doomed.destroyForcibly();
        assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> reserved(http, survivor) == 0.0);
        long lapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("reservations of the killed replica lapsed after " + lapsedMs + " ms");
        // The lease (1 s) plus at most one sync of the survivor (200 ms) and of the dead one's
        // last heartbeat, with slack for a loaded machine.
        assertThat(lapsedMs).isLessThan(3_000);
      } finally {
        doomed.destroyForcibly();
        never.countDown();
      }
    }
  }

  static double reserved(HttpClient http, TestTollgate t) throws Exception {
    JsonNode b =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(t.adminUri("/admin/budgets")).build(),
                        BodyHandlers.ofString())
                    .body())
            .at("/budgets/0");
    return b.get("reserved_usd").asDouble();
  }
}
