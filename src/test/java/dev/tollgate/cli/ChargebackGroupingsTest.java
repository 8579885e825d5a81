package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 27: every pair and triple of group-by dimensions, over a ledger where calls lack values for
 * some of them (no project, no key, no provider, no tag), answers through {@code /admin/spend} and
 * {@code tollgate report} alike, byte for byte, with the calls without a value in a {@code (none)}
 * group and the groups summing to the ungrouped total to the decimal; on SQLite and PostgreSQL.
 */
class ChargebackGroupingsTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final List<String> DIMENSIONS =
      List.of(
          "team",
          "project",
          "user",
          "key",
          "provider",
          "model",
          "tier",
          "day",
          "hour",
          "month",
          "status",
          "api",
          "tag:env");
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  /** Calls over three days across a month's end, each lacking something another has. */
  private static List<Call> calls(LocalDate firstDay) {
    String[] teams = {"search", "ads", Attribution.UNATTRIBUTED};
    String[] projects = {"p1", null, "p2"};
    String[] users = {"u1", null};
    String[] keys = {"k1", "k2", null, null};
    String[] providers = {"openai", "anthropic", null};
    String[] models = {"gpt-4o-mini", "o3", "claude-x", null};
    String[] tiers = {null, "flex", "priority"};
    PricingStatus[] statuses = PricingStatus.values();
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      PricingStatus status = statuses[i % statuses.length];
      BigDecimal cost =
          status == PricingStatus.UNPRICED
              ? BigDecimal.ZERO
              : new BigDecimal("0.000123456789").multiply(BigDecimal.valueOf(i + 1));
      Map<String, String> tags = i % 3 == 0 ? Map.of("env", "prod") : Map.of();
      Attribution who =
          new Attribution(
              teams[i % teams.length],
              projects[i % projects.length],
              users[i % users.length],
              keys[i % keys.length],
              tags,
              false);
      String model = models[i % models.length];
      Call.Request asked =
          new Call.Request(
              "g" + i,
              firstDay.plusDays(i % 3).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(i),
              i % 5 == 0 ? Api.EMBEDDINGS : Api.CHAT,
              "POST",
              "/v1/chat/completions",
              model,
              tiers[i % tiers.length],
              false,
              who);
      out.add(
          new Call(
              asked,
              new Call.Relay(200, Outcome.OK, Timings.ofMillis(30, 5)),
              new Call.Served(
                  "api.example.com",
                  model,
                  tiers[i % tiers.length],
                  Usage.of(100 + i, 10 + i),
                  Map.of(),
                  null,
                  providers[i % providers.length]),
              new Call.Charge(
                  status,
                  status == PricingStatus.UNPRICED ? null : "m@x",
                  Cost.of(
                      Map.of(
                          CostComponent.INPUT,
                          cost,
                          CostComponent.OUTPUT,
                          cost.divide(BigDecimal.valueOf(3), 12, java.math.RoundingMode.DOWN))),
                  status == PricingStatus.UNPRICED
                      ? List.of(Reason.of(Reason.Kind.NO_PRICE, String.valueOf(model)))
                      : status == PricingStatus.ESTIMATED
                          ? List.of(Reason.of(Reason.Kind.USAGE_MISSING))
                          : List.of(),
                  Map.of())));
    }
    return out;
  }

  private static List<String> groupings() {
    List<String> out = new ArrayList<>(DIMENSIONS); // every single one too
    int n = DIMENSIONS.size();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        out.add(DIMENSIONS.get(a) + "," + DIMENSIONS.get(b));
        for (int c = b + 1; c < n; c++) {
          out.add(DIMENSIONS.get(a) + "," + DIMENSIONS.get(b) + "," + DIMENSIONS.get(c));
        }
      }
    }
    return out;
  }

  private HttpResponse<String> spend(TestTollgate t, String query) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.adminUri("/admin/spend?" + query)).build(),
        BodyHandlers.ofString());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static BigDecimal sum(JsonNode report, String field) {
    BigDecimal total = BigDecimal.ZERO;
    for (JsonNode r : report.path("rows")) {
      total = total.add(new BigDecimal(r.path(field).asText()));
    }
    return total;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void everyPairAndTripleAnswersAlikeAndSumsToTheTotal(String backend) throws Exception {
    LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusDays(1);
    String range = "from=" + first + "&to=" + first.plusDays(3);
    try (TestLedgers ledgers = new TestLedgers()) {
      var ledger = ledgers.config(backend);
      // A fixed ledger: its unpriced calls are not repriced at start (that job would change
      // the totals between two reports).
      String yaml =
          "data_dir: '"
              + dir
              + "'\npricing: {reprice: off}\n"
              + (ledger.url().isPresent() ? "ledger: {url: '" + ledger.url().get() + "'}\n" : "");
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(config, yaml);
      TollgateConfig c = new ConfigLoader(Map.of()).load(config);
      List<Call> calls = calls(first);
      try (Database db = Database.open(c.ledger(), c.dataDir());
          LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
        calls.forEach(writer::offer);
        Awaitility.await().until(() -> writer.written() == calls.size());
      }
      try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9", yaml)) {
        JsonNode whole = JSON.readTree(spend(t, range).body());
        assertThat(whole.path("rows")).hasSize(1);
        BigDecimal total = new BigDecimal(whole.path("total_cost_usd").asText());
        long requests = whole.path("rows").path(0).path("requests").asLong();
        assertThat(requests).isEqualTo(calls.size());
        assertThat(total).isPositive();
        JsonNode wholeWhatIf =
            JSON.readTree(spend(t, range + "&what_if=" + q("model=gpt-4o-mini")).body());
        BigDecimal whatIfTotal =
            new BigDecimal(wholeWhatIf.path("total_what_if_cost_usd").asText());

        Cli cli = new Cli();
        for (String groupBy : groupings()) {
          HttpResponse<String> api = spend(t, range + "&group_by=" + q(groupBy));
          assertThat(api.statusCode()).as(groupBy + ": " + api.body()).isEqualTo(200);
          JsonNode report = JSON.readTree(api.body());
          assertThat(new BigDecimal(report.path("total_cost_usd").asText()))
              .as(groupBy)
              .isEqualByComparingTo(total);
          assertThat(sum(report, "requests")).as(groupBy).isEqualByComparingTo("" + requests);
          assertThat(sum(report, "cost_usd")).as(groupBy).isEqualByComparingTo(total);
          for (JsonNode row : report.path("rows")) {
            for (JsonNode k : report.path("group_by")) {
              assertThat(row.path(k.asText()).isTextual()).as(groupBy + " " + row).isTrue();
            }
          }
          // The CLI gives the same report, byte for byte.
          assertThat(
                  cli.run(
                      "report",
                      "--config",
                      config.toString(),
                      "--format",
                      "json",
                      "--from",
                      first.toString(),
                      "--to",
                      first.plusDays(3).toString(),
                      "--group-by",
                      groupBy))
              .as(groupBy + ": " + cli.err)
              .isZero();
          assertThat(cli.out.toString().trim()).as(groupBy).isEqualTo(api.body().trim());
          cli.out.getBuffer().setLength(0);
        }

        // With a what-if, every pair still answers and sums to the what-if total.
        for (String groupBy : groupings()) {
          if (groupBy.split(",").length > 2) {
            continue;
          }
          HttpResponse<String> api =
              spend(t, range + "&group_by=" + q(groupBy) + "&what_if=" + q("model=gpt-4o-mini"));
          assertThat(api.statusCode()).as(groupBy + ": " + api.body()).isEqualTo(200);
          JsonNode report = JSON.readTree(api.body());
          assertThat(sum(report, "what_if_cost_usd")).as(groupBy).isEqualByComparingTo(whatIfTotal);
          assertThat(sum(report, "cost_usd")).as(groupBy).isEqualByComparingTo(total);
        }

        // Calls without a project are a group of their own, and a filter finds the same.
        JsonNode byProject = JSON.readTree(spend(t, range + "&group_by=project").body());
        JsonNode none = null;
        for (JsonNode r : byProject.path("rows")) {
          if (r.path("project").asText().equals("(none)")) {
            none = r;
          }
        }
        assertThat(none).isNotNull();
        assertThat(none.path("requests").asLong())
            .isEqualTo(calls.stream().filter(x -> x.attribution().project() == null).count());
        JsonNode filtered = JSON.readTree(spend(t, range + "&project=" + q("(none)")).body());
        assertThat(filtered.path("total_cost_usd").asText())
            .isEqualTo(none.path("cost_usd").asText());
        JsonNode byProviderFiltered =
            JSON.readTree(spend(t, range + "&group_by=provider&team=search&tag:env=prod").body());
        long searchProd =
            calls.stream()
                .filter(x -> x.attribution().team().equals("search"))
                .filter(x -> "prod".equals(x.attribution().tags().get("env")))
                .count();
        assertThat(searchProd).isPositive();
        assertThat(sum(byProviderFiltered, "requests")).isEqualByComparingTo("" + searchProd);
      }
    }
  }
}
