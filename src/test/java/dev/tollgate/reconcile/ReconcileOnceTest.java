package dev.tollgate.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.JobLeases;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 30: jobs run on one replica at a time. Two replicas on one PostgreSQL ledger, both with the
 * daily reconciliation: it runs once (the bill is read once), both serve that run, {@code
 * /admin/jobs} agrees on who holds it, and when the holder stops the other takes it over. A lapsed
 * lease moves to whoever asks next, on SQLite and PostgreSQL alike.
 */
class ReconcileOnceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static WireMockExtension openai =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode admin(TestTollgate t, String path) throws Exception {
    return JSON.readTree(
        http.send(HttpRequest.newBuilder(t.adminUri(path)).build(), BodyHandlers.ofString())
            .body());
  }

  @Test
  void twoReplicasReconcileOnceAndTheOtherTakesOverWhenTheHolderStops() throws Exception {
    DailyReconcileTest.stubYesterdaysBill(openai);
    try (TestLedgers ledgers = new TestLedgers()) {
      String url = ledgers.config("postgres").url().orElseThrow();
      String yaml =
          "ledger: {url: '"
              + url
              + "', retention_days: 400}\njobs: {tick: 100ms, lease: 1s}\n"
              + "reconcile: {schedule: daily, admin_key: sk-admin-test, first_run_after: 200ms,"
              + " url: '"
              + openai.baseUrl()
              + "/v1'}\n";
      TestTollgate a = TestTollgate.start("http://127.0.0.1:9", yaml);
      try (TestTollgate b = TestTollgate.start("http://127.0.0.1:9", yaml)) {
        JsonNode fromA =
            await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> admin(a, "/admin/reconcile"), j -> j.has("findings"));
        JsonNode fromB = admin(b, "/admin/reconcile");
        assertThat(fromB.path("ran_at").asText()).isEqualTo(fromA.path("ran_at").asText());
        assertThat(fromB.at("/findings/0/model").asText()).isEqualTo("o3");
        Thread.sleep(1_500); // many ticks on both replicas: still one run
        openai.verify(1, getRequestedFor(urlPathEqualTo("/v1/organization/costs")));

        JsonNode jobsA = job(admin(a, "/admin/jobs"), "reconcile");
        JsonNode jobsB = job(admin(b, "/admin/jobs"), "reconcile");
        String holder = jobsA.path("holder").asText();
        assertThat(jobsB.path("holder").asText()).isEqualTo(holder);
        assertThat(jobsA.path("last_outcome").asText()).isEqualTo("ok");
        assertThat(jobsA.path("last_run_by").asText()).isEqualTo(holder);
        assertThat(jobsA.path("held_here").asBoolean())
            .isNotEqualTo(jobsB.path("held_here").asBoolean());
        // Retention and automatic repricing are jobs too: each held by one replica, run there.
        for (String name : List.of("auto-reprice", "retention")) {
          JsonNode ja = job(admin(a, "/admin/jobs"), name);
          JsonNode jb = job(admin(b, "/admin/jobs"), name);
          assertThat(ja.path("holder").asText()).as(name).isNotEmpty();
          assertThat(jb.path("holder").asText()).as(name).isEqualTo(ja.path("holder").asText());
          assertThat(ja.path("last_run_by").asText())
              .as(name)
              .isEqualTo(ja.path("holder").asText());
          assertThat(ja.path("last_outcome").asText()).as(name).isEqualTo("ok");
        }

        // The holder stops: the other replica holds the job within a lease and a tick.
        TestTollgate holding = jobsA.path("held_here").asBoolean() ? a : b;
        TestTollgate other = holding == a ? b : a;
        String otherName = admin(other, "/admin/jobs").path("replica").asText();
        holding.close();
        await()
            .atMost(Duration.ofMillis(1_100 + 500))
            .until(
                () -> job(admin(other, "/admin/jobs"), "reconcile").path("holder").asText(),
                otherName::equals);
        // Not due again today: taking over does not run it twice.
        Thread.sleep(500);
        openai.verify(1, getRequestedFor(urlPathEqualTo("/v1/organization/costs")));
        if (holding != a) {
          a.close();
        }
      }
    }
  }

  /** One job's entry in {@code /admin/jobs}. */
  private static JsonNode job(JsonNode jobs, String name) {
    for (JsonNode j : jobs.path("jobs")) {
      if (j.path("job").asText().equals(name)) {
        return j;
      }
    }
    throw new AssertionError("no job '" + name + "' in " + jobs);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aLeaseIsOneReplicasUntilItLapses(String backend) throws Exception {
    try (TestLedgers ledgers = new TestLedgers()) {
      LedgerConfig config = ledgers.config(backend);
      try (Database db = Database.open(config, dir)) {
        JobLeases leases = new JobLeases(db.dataSource());
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(leases.hold("j", "r1", t0, t0.plusSeconds(30))).isTrue();
        assertThat(leases.hold("j", "r2", t0.plusSeconds(10), t0.plusSeconds(40))).isFalse();
        assertThat(leases.hold("j", "r1", t0.plusSeconds(20), t0.plusSeconds(50))).isTrue();
        assertThat(leases.hold("j", "r2", t0.plusSeconds(45), t0.plusSeconds(75))).isFalse();
        assertThat(leases.hold("j", "r2", t0.plusSeconds(51), t0.plusSeconds(81))).isTrue();
        assertThat(leases.get("j").orElseThrow().holder()).isEqualTo("r2");
        leases.finished("j", "r1", t0, "ok", "{}"); // no longer r1's: not recorded
        assertThat(leases.get("j").orElseThrow().lastRun()).isNull();
        leases.finished("j", "r2", t0.plusSeconds(52), "ok", "{\"x\":1}");
        assertThat(leases.lastResult("j")).hasValue("{\"x\":1}");
        leases.release("j", "r2");
        assertThat(leases.hold("j", "r1", t0.plusSeconds(53), t0.plusSeconds(83))).isTrue();
      }
    }
  }
}
