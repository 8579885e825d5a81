package dev.tollgate.budget;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.call.Money;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Three Tollgate replicas on one PostgreSQL ledger (and one alone on SQLite), 64 concurrent clients
 * and one $1.00 team budget: the spend recorded stays within the limit, the budget is used, and
 * every refusal says truthfully why.
 */
class BudgetReplicasTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern GLOBAL =
      Pattern.compile(
          "spent \\$([0-9.]+) \\+ reserved \\$([0-9.]+) \\+ this call's worst case \\$([0-9.]+)"
              + " > limit \\$([0-9.]+)");
  static final Pattern SHARE =
      Pattern.compile(
          "this call's worst case \\$([0-9.]+) is more than this replica's share of"
              + " what remains, \\$([0-9.]+) \\((\\d+) replicas share it");
  // $0.00075 a call (1,000 + 1,000 tokens of gpt-4o-mini); max_tokens 2000 reserves more than that,
  // so the only way past the limit would be replicas deciding on stale views.
  static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":2000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir Path dir;

  @ParameterizedTest(name = "{1} replica(s) on {0}")
  @CsvSource({"postgres, 3", "sqlite, 1"})
  void sixtyFourClientsOneDollarBudget(String backend, int replicaCount) throws Exception {
    WireMockServer upstream =
        new WireMockServer(wireMockConfig().dynamicPort().containerThreads(80));
    upstream.start();
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withFixedDelay(5)
                    .withBody(BudgetEnforcementTest.ANSWER)));
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: load, scope: 'team:load', limit_usd: 1.00, period: month}\n");
    List<TestTollgate> replicas = new ArrayList<>();
    try (TestLedgers ledgers = new TestLedgers()) {
      LedgerConfig ledger = ledgers.config(backend);
      String url = ledger.url().orElse("jdbc:sqlite:" + dir.resolve("data").resolve("ledger.db"));
      String where =
          ledger.url().isPresent()
              ? "ledger: {url: '" + url + "', batch_window: 20ms}"
              : "data_dir: '" + dir.resolve("data") + "'\nledger: {batch_window: 20ms}";
      for (int i = 0; i < replicaCount; i++) {
        replicas.add(
            TestTollgate.start(
                upstream.baseUrl() + "/v1",
                where
                    + "\nbudgets: {file: '"
                    + dir.resolve("budgets.yaml")
                    + "', sync_interval: 100ms, lease: 1s}\nlogging: {access_log: false}"));
      }
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(8))
              .build();
      AtomicInteger admitted = new AtomicInteger();
      ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
      ExecutorService clients = Executors.newFixedThreadPool(64);
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      for (int c = 0; c < 64; c++) {
        TestTollgate t = replicas.get(c % replicaCount);
        clients.execute(
            () -> {
              int refusedInARow = 0;
              while (refusedInARow < 5 && System.nanoTime() < deadline) {
                try {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
                              .header("X-Tollgate-Team", "load")
                              .POST(HttpRequest.BodyPublishers.ofString(BODY))
                              .build(),
                          BodyHandlers.ofString());
                  if (r.statusCode() == 200) {
                    admitted.incrementAndGet();
                    refusedInARow = 0;
                  } else {
                    refusals.add(r.statusCode() + " " + r.body());
                    refusedInARow++;
                    Thread.sleep(150); // past a sync: shares are renewed
                  }
                } catch (Exception e) {
                  refusals.add("error " + e);
                  return;
                }
              }
            });
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      for (TestTollgate t : replicas) {
        t.close(); // drains: every admitted call is in the ledger
      }
      replicas.clear();

      BigDecimal recorded;
      long calls;
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT COALESCE(SUM(cost_total), 0), COUNT(*) FROM calls WHERE team = 'load'")) {
        r.next();
        recorded = Money.fromPico(r.getLong(1));
        calls = r.getLong(2);
      }
      long byShare = refusals.stream().filter(r -> r.contains("replica's share")).count();
      System.out.printf(
          "%d replica(s) on %s, 64 clients: %d calls admitted, $%s recorded of $1.00, %d refusals"
              + " (%d by share)%n",
          replicaCount,
          backend,
          admitted.get(),
          recorded.stripTrailingZeros().toPlainString(),
          refusals.size(),
          byShare);
      assertThat(calls).isEqualTo(admitted.get());
      // Reservations cover each call's real cost here, so the documented bound adds nothing.
      assertThat(recorded).isLessThanOrEqualTo(new BigDecimal("1.00"));
      assertThat(recorded)
          .as("the budget was used, not refused early")
          .isGreaterThan(new BigDecimal("0.95"));
      assertThat(refusals).isNotEmpty();
      for (String refusal : refusals) {
        assertThat(refusal).startsWith("429 ").contains("\"code\":\"budget_exceeded\"");
        String message = JSON.readTree(refusal.substring(4)).at("/error/message").asText();
        Matcher g = GLOBAL.matcher(message);
        Matcher sh = SHARE.matcher(message);
        if (g.find()) {
          BigDecimal sum =
              new BigDecimal(g.group(1))
                  .add(new BigDecimal(g.group(2)))
                  .add(new BigDecimal(g.group(3)));
          assertThat(sum).as(message).isGreaterThan(new BigDecimal(g.group(4)));
        } else {
          assertThat(sh.find()).as(message).isTrue();
          assertThat(new BigDecimal(sh.group(1)))
              .as(message)
              .isGreaterThan(new BigDecimal(sh.group(2)));
          assertThat(Integer.parseInt(sh.group(3))).as(message).isGreaterThan(1);
          assertThat(replicaCount).as("one replica alone never refuses by share").isGreaterThan(1);
        }
      }
    } finally {
      replicas.forEach(TestTollgate::close);
      upstream.stop();
    }
  }
}
