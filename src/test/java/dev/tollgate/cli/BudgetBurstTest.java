package dev.tollgate.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: three replicas on one PostgreSQL ledger, a $1.00 hard budget half spent, and a burst of
 * 30 concurrent calls at one replica whose worst cases together fit in what remains: none is
 * refused (a replica short of its share asks for more at once), the rest of the budget is then used
 * up with no overshoot, every refusal is true to its numbers, and {@code /admin/budgets} and {@code
 * tollgate budgets list} show the same numbers.
 */
class BudgetBurstTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // gpt-4o-mini, max_tokens 20000: a worst case of about $0.012 a call; the upstream answers with
  // 10,000 + 10,000 tokens ($0.0075), so reservations always cover the real cost.
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20000,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}]}";
  private static final Pattern GLOBAL =
      Pattern.compile(
          "spent \\$([0-9.]+) \\+ reserved \\$([0-9.]+) \\+ this call's worst case \\$([0-9.]+)"
              + " > limit \\$([0-9.]+)");
  private static final Pattern SHARE =
      Pattern.compile(
          "worst case \\$([0-9.]+) is more than this replica's share of what remains, \\$([0-9.]+)"
              + " \\((\\d+) replicas share it; \\$([0-9.]+) of it is the other replicas' shares;"
              + " spent \\$([0-9.]+), reserved \\$([0-9.]+) of \\$([0-9.]+)\\)");
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newFixedThreadPool(8))
          .build();
  @TempDir Path dir;

  private static Call spentBefore(Instant at) {
    return new Call(
        new Call.Request(
            "pre",
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-4o-mini",
            null,
            false,
            new Attribution("load", null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(10, 5)),
        new Call.Served(
            "api.openai.com", "gpt-4o-mini", null, Usage.of(1, 1), Map.of(), null, null),
        new Call.Charge(
            PricingStatus.PRICED,
            "gpt-4o-mini@x",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal("0.50"))),
            List.of(),
            Map.of()));
  }

  private static void answer(WireMockServer upstream, int delayMs) {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withFixedDelay(delayMs)
                    .withBody(
                        "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
                            + "\"choices\":[],\"usage\":{\"prompt_tokens\":10000,"
                            + "\"completion_tokens\":10000,\"total_tokens\":20000}}")));
  }

  private HttpResponse<String> call(TestTollgate t) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("X-Tollgate-Team", "load")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build(),
        BodyHandlers.ofString());
  }

  private static void trueToItsNumbers(String refusal) throws Exception {
    assertThat(refusal).startsWith("429 ").contains("\"code\":\"budget_exceeded\"");
    String m = JSON.readTree(refusal.substring(4)).at("/error/message").asText();
    Matcher g = GLOBAL.matcher(m);
    Matcher s = SHARE.matcher(m);
    if (g.find()) {
      BigDecimal sum =
          new BigDecimal(g.group(1))
              .add(new BigDecimal(g.group(2)))
              .add(new BigDecimal(g.group(3)));
      assertThat(sum).as(m).isGreaterThan(new BigDecimal(g.group(4)));
    } else {
      // Refused for want of this replica's share after asking for more: the rest of what remains
      // is the other replicas' shares, sized to their own demand (docs/BUDGETS.md).
      assertThat(s.find()).as(m).isTrue();
      assertThat(new BigDecimal(s.group(1))).as(m).isGreaterThan(new BigDecimal(s.group(2)));
      assertThat(new BigDecimal(s.group(4))).as(m).isPositive();
    }
  }

  @Test
  void aBurstAtOneReplicaIsAdmittedWhileTheMoneyLastsAndNeverPastIt() throws Exception {
    WireMockServer upstream =
        new WireMockServer(wireMockConfig().dynamicPort().containerThreads(60));
    upstream.start();
    answer(upstream, 200); // the burst is in flight together
    Path budgets = dir.resolve("budgets.yaml");
    Files.writeString(
        budgets, "- {name: load, scope: 'team:load', limit_usd: 1.00, period: month}\n");
    List<TestTollgate> replicas = new ArrayList<>();
    TestLedgers ledgers = new TestLedgers();
    try {
      LedgerConfig ledger = ledgers.config("postgres");
      String url = ledger.url().orElseThrow();
      try (Database db = Database.open(ledger, dir);
          LedgerWriter w = new LedgerWriter(db, ledger)) {
        w.offer(spentBefore(Instant.now()));
        Awaitility.await().until(() -> w.written() == 1);
      }
      String yaml =
          "ledger: {url: '"
              + url
              + "', batch_window: 20ms}\nbudgets: {file: '"
              + budgets
              + "', sync_interval: 100ms, lease: 1s}\nlogging: {access_log: false}";
      for (int i = 0; i < 3; i++) {
        replicas.add(TestTollgate.start(upstream.baseUrl() + "/v1", yaml));
      }
      Thread.sleep(700); // every replica synced, idle: their shares sized to no demand

      // 30 calls at once at one replica: $0.36 of worst cases, $0.50 left. None is refused.
      TestTollgate busy = replicas.get(0);
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      var pool = Executors.newFixedThreadPool(30);
      for (int i = 0; i < 30; i++) {
        burst.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return call(busy);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      for (CompletableFuture<HttpResponse<String>> f : burst) {
        HttpResponse<String> r = f.join();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      // It asked the database for more share while the calls waited (a few round trips, not 30).
      String metrics =
          http.send(
                  HttpRequest.newBuilder(busy.adminUri("/metrics")).build(),
                  BodyHandlers.ofString())
              .body();
      Matcher topUps =
          Pattern.compile("(?m)^tollgate_budget_share_topups_total (\\S+)").matcher(metrics);
      assertThat(topUps.find()).as(metrics).isTrue();
      assertThat(Double.parseDouble(topUps.group(1))).isBetween(1.0, 30.0);

      answer(upstream, 10);
      // Then every replica spends on until the money is gone: never past the limit, and each
      // refusal true to its numbers.
      ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < 24; c++) {
        TestTollgate t = replicas.get(c % 3);
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  int refusedInARow = 0;
                  while (refusedInARow < 3) {
                    try {
                      HttpResponse<String> r = call(t);
                      if (r.statusCode() == 200) {
                        refusedInARow = 0;
                      } else {
                        refusals.add(r.statusCode() + " " + r.body());
                        refusedInARow++;
                        Thread.sleep(150);
                      }
                    } catch (Exception e) {
                      refusals.add("error " + e);
                      return;
                    }
                  }
                },
                Executors.newCachedThreadPool()));
      }
      clients.forEach(CompletableFuture::join);
      for (String r : refusals) {
        trueToItsNumbers(r);
      }

      // At rest, the admin API and the CLI agree.
      Thread.sleep(1500); // settled, committed, synced; demand aged out of the shares
      JsonNode admin =
          JSON.readTree(
                  http.send(
                          HttpRequest.newBuilder(busy.adminUri("/admin/budgets")).build(),
                          BodyHandlers.ofString())
                      .body())
              .path("budgets")
              .path(0);
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(config, yaml);
      Cli cli = new Cli();
      assertThat(cli.run("budgets", "list", "--config", config.toString())).isZero();
      assertThat(cli.out.toString())
          .containsPattern(
              "(?m)^load +team:load +month +hard +file +\\$1 +\\$"
                  + Pattern.quote(admin.path("spent_usd").asText())
                  + " +\\$"
                  + Pattern.quote(admin.path("reserved_usd").asText())
                  + " +\\$"
                  + Pattern.quote(admin.path("remaining_usd").asText())
                  + " +\\$"
                  + Pattern.quote(admin.path("replica_shares_usd").asText())
                  + " ");
      for (TestTollgate t : replicas) {
        t.close();
      }
      replicas.clear();
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT COALESCE(SUM(cost_total), 0) FROM calls WHERE team = 'load'")) {
        r.next();
        BigDecimal recorded = Money.fromPico(r.getLong(1));
        assertThat(recorded).isLessThanOrEqualTo(new BigDecimal("1.00"));
        // The last refusals came when less than one worst case ($0.012) was left, per replica's
        // view: the budget was used, not refused early.
        assertThat(recorded).isGreaterThan(new BigDecimal("0.95"));
      }
    } finally {
      replicas.forEach(TestTollgate::close);
      ledgers.close(); // after the replicas: the schema goes once nothing uses it
      upstream.stop();
    }
  }
}
