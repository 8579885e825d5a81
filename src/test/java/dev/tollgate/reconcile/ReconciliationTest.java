package dev.tollgate.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.LedgerWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a replica of OpenAI's Costs and Usage APIs (paged), a ledger with a planted missing call,
 * a planted price error and a planted bypass gives exactly those three findings.
 */
class ReconciliationTest {
  static final LocalDate DAY = LocalDate.parse("2026-11-30");
  static final long START = 1_795_996_800L; // 2026-11-30T00:00:00Z

  @RegisterExtension
  static WireMockExtension openai =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;

  static String usage(String model, long in, long out, boolean batch) {
    return "{\"object\":\"organization.usage.completions.result\",\"input_tokens\":"
        + in
        + ",\"output_tokens\":"
        + out
        + ",\"input_cached_tokens\":0,\"num_model_requests\":1,\"project_id\":\"proj_1\","
        + "\"user_id\":null,\"api_key_id\":\"key_1\",\"model\":\""
        + model
        + "\",\"batch\":"
        + batch
        + ",\"service_tier\":\"default\"}";
  }

  static String cost(String lineItem, String usd) {
    return "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":"
        + usd
        + ",\"currency\":\"usd\"},\"line_item\":\""
        + lineItem
        + "\",\"project_id\":\"proj_1\"}";
  }

  static String page(String results, String next) {
    return "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\",\"start_time\":"
        + START
        + ",\"end_time\":"
        + (START + 86400)
        + ",\"results\":["
        + results
        + "]}],\"has_more\":"
        + (next != null)
        + ",\"next_page\":"
        + (next == null ? "null" : "\"" + next + "\"")
        + "}";
  }

  static Call call(String id, String model, long in, long out, String usd) {
    return new Call(
        new Call.Request(
            id,
            Instant.parse("2026-11-30T12:00:00Z"),
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            model,
            null,
            false,
            new Attribution("search", null, null, null, Map.of(), false)),
        new Call.Relay(200, Outcome.OK, new Timings(1_000_000, 900_000, -1)),
        new Call.Served(
            "api.openai.com", model, "default", Usage.of(in, out), Map.of(), null, "openai"),
        new Call.Charge(
            PricingStatus.PRICED,
            model + "@x",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal(usd))),
            List.of(),
            Map.of()));
  }

  /** OpenAI's costs endpoint answers these results, one page. */
  static void serveCosts(String... results) {
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/costs"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(page(String.join(",", results), null))));
  }

  /** The day reconciled against the fake, with these calls in a fresh ledger. */
  List<Finding> reconcile(Call... calls) throws Exception {
    LedgerConfig config =
        new LedgerConfig(Optional.empty(), Duration.ofMillis(20), 100, 1000, 0, 1);
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter w = new LedgerWriter(db, config)) {
        for (Call c : calls) {
          w.offer(c);
        }
      }
      return Reconciliation.run(
          new OpenAiBill(
              URI.create(openai.baseUrl() + "/v1"), "sk-admin-test", Duration.ofSeconds(5)),
          new LedgerReader(db.dataSource()),
          DAY,
          DAY.plusDays(1),
          Reconciler.Tolerance.DEFAULT,
          Map.of());
    }
  }

  @Test
  void aMissingCallAPriceErrorAndABypassAreTheOnlyFindings() throws Exception {
    // Usage comes in two pages; costs in one.
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        page(
                            usage("gpt-4o-mini-2024-07-18", 2_000_000, 200_000, false)
                                + ","
                                + usage("gpt-4o-2024-08-06", 1_000_000, 100_000, false),
                            "page_2"))));
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .atPriority(1)
            .withQueryParam("page", equalTo("page_2"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        page(
                            usage("o3-2025-04-16", 500_000, 100_000, false)
                                + ","
                                + usage("text-embedding-3-small", 1_000_000, 0, false),
                            null))));
    serveCosts(
        cost("gpt-4o-mini-2024-07-18, input", "0.30"),
        cost("gpt-4o-mini-2024-07-18, output", "0.12"),
        cost("gpt-4o-2024-08-06, input", "2.50"),
        cost("gpt-4o-2024-08-06, output", "1.00"),
        cost("o3-2025-04-16, input", "1.00"),
        cost("o3-2025-04-16, output", "0.80"),
        cost("text-embedding-3-small", "0.02"));

    List<Finding> findings =
        reconcile(
            // Missing call: the ledger has one of the two gpt-4o-mini calls OpenAI billed.
            call("c1", "gpt-4o-mini-2024-07-18", 1_000_000, 100_000, "0.21"),
            // Price error: the tokens match, the price recorded does not ($4.00 for a $3.50 bill).
            call("c2", "gpt-4o-2024-08-06", 1_000_000, 100_000, "4.00"),
            // Matched, within rounding. (o3 never went through Tollgate: the bypass.)
            call("c3", "text-embedding-3-small", 1_000_000, 0, "0.02"));

    Map<String, Finding> byModel =
        findings.stream().collect(Collectors.toMap(Finding::model, f -> f));
    assertThat(byModel.keySet())
        .containsExactlyInAnyOrder("gpt-4o-mini", "gpt-4o", "o3", "text-embedding-3-small");
    assertThat(findings).filteredOn(f -> f.kind() != Finding.Kind.MATCHED).hasSize(3);
    assertThat(byModel.get("gpt-4o-mini").kind()).isEqualTo(Finding.Kind.DRIFT);
    assertThat(byModel.get("gpt-4o-mini").cause()).isEqualTo("missing_calls");
    assertThat(byModel.get("gpt-4o").kind()).isEqualTo(Finding.Kind.DRIFT);
    assertThat(byModel.get("gpt-4o").cause()).isEqualTo("price");
    assertThat(byModel.get("gpt-4o").driftUsd()).isEqualByComparingTo("0.50");
    assertThat(byModel.get("gpt-4o").driftPercent()).isEqualByComparingTo("14.29");
    assertThat(byModel.get("o3").kind()).isEqualTo(Finding.Kind.ONLY_PROVIDER);
    assertThat(byModel.get("o3").cause()).isEqualTo("bypass");
    assertThat(byModel.get("o3").providerUsd()).isEqualByComparingTo("1.80");
    assertThat(byModel.get("text-embedding-3-small").kind()).isEqualTo(Finding.Kind.MATCHED);

    // Both pages were read, with the admin key; the renderers carry the same findings.
    openai.verify(
        getRequestedFor(urlPathEqualTo("/v1/organization/usage/completions"))
            .withQueryParam("page", equalTo("page_2"))
            .withHeader("Authorization", equalTo("Bearer sk-admin-test")));
    assertThat(ReconcileRenderer.table(findings)).contains("3 finding(s) need a look");
    assertThat(ReconcileRenderer.json(findings)).contains("\"drift_count\":3");
    assertThat(ReconcileRenderer.csv(findings).lines()).hasSize(5);
  }

  @Test
  void batchUsageThatNeverWentThroughTollgateIsLabelled() {
    ProviderBill bill =
        new ProviderBill(
            List.of(new ProviderBill.Usage(DAY, "gpt-4o-mini", null, true, 1000, 0, 100, 1, null)),
            List.of(
                new ProviderBill.Cost(
                    DAY, "gpt-4o-mini, batch input", null, new BigDecimal("1.5"))));
    List<Finding> f = Reconciler.compare(bill, List.of(), Reconciler.Tolerance.DEFAULT);
    assertThat(f)
        .singleElement()
        .satisfies(x -> assertThat(x.cause()).isEqualTo("batch_not_through_tollgate"));
  }

  @Test
  void withProjectsMappedToTeamsEachTeamIsComparedOnItsOwn() {
    // proj_search is team search's; proj_x is named nowhere. Search's calls all went through
    // Tollgate; the unmapped project's did not, which a per-model total would have hidden.
    ProviderBill bill =
        new ProviderBill(
            List.of(
                new ProviderBill.Usage(
                    DAY, "gpt-4o", "proj_search", false, 1_000_000, 0, 100_000, 1, "default"),
                new ProviderBill.Usage(
                    DAY, "gpt-4o", "proj_x", false, 1_000_000, 0, 100_000, 1, "default")),
            List.of(
                new ProviderBill.Cost(DAY, "gpt-4o, input", "proj_search", new BigDecimal("3.50")),
                new ProviderBill.Cost(DAY, "gpt-4o, input", "proj_x", new BigDecimal("3.50"))));
    Call search = call("s1", "gpt-4o-2024-08-06", 1_000_000, 100_000, "3.50");
    List<Finding> findings =
        Reconciler.compare(
            bill, List.of(search), Reconciler.Tolerance.DEFAULT, Map.of("proj_search", "search"));
    // The day × model row always (as docs/RECONCILE.md promises), then the per-team rows.
    assertThat(findings)
        .extracting(Finding::team, Finding::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, Finding.Kind.DRIFT),
            org.assertj.core.groups.Tuple.tuple("(unmapped)", Finding.Kind.ONLY_PROVIDER),
            org.assertj.core.groups.Tuple.tuple("search", Finding.Kind.MATCHED));
    assertThat(findings.get(0).cause()).isEqualTo("missing_calls");
    assertThat(findings.get(0).driftUsd()).isEqualByComparingTo("-3.50"); // ledger − bill
    assertThat(ReconcileRenderer.csv(findings).lines().findFirst().orElseThrow())
        .startsWith("day,model,tier,team,finding");
  }

  static Call tiered(String id, String model, String tier, long in, long out, String usd) {
    Call c = call(id, model, in, out, usd);
    return new Call(
        c.asked(),
        c.relay(),
        new Call.Served("api.openai.com", model, tier, c.usage(), Map.of(), null, "openai"),
        c.charge());
  }

  @Test
  void tierPricedLinesAreComparedWithTheCallsOfThatTierAndUnreadLinesAreListed() throws Exception {
    String usage =
        usage("gpt-5-2025-08-07", 1_000_000, 100_000, false).replace("\"default\"", "\"priority\"")
            + ","
            + usage("gpt-5-2025-08-07", 1_000_000, 100_000, false);
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(page(usage, null))));
    // gpt-5 at priority: $2.50 in and $20 out per 1M; at default $1.25 and $10.
    serveCosts(
        cost("priority | gpt-5-2025-08-07, input", "2.50"),
        cost("fast | gpt-5-2025-08-07, output", "2.00"),
        cost("gpt-5-2025-08-07, input", "1.25"),
        cost("gpt-5-2025-08-07, output", "1.00"),
        cost("web search tool calls", "0.10"));
    List<Finding> findings =
        reconcile(
            tiered("p1", "gpt-5-2025-08-07", "fast", 1_000_000, 100_000, "4.50"),
            tiered("d1", "gpt-5-2025-08-07", "default", 1_000_000, 100_000, "2.25"));
    assertThat(findings)
        .extracting(Finding::model, Finding::tier, Finding::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gpt-5", "default", Finding.Kind.MATCHED),
            org.assertj.core.groups.Tuple.tuple("gpt-5", "priority", Finding.Kind.MATCHED),
            org.assertj.core.groups.Tuple.tuple(
                "web search tool calls", null, Finding.Kind.UNREAD));
    assertThat(findings.get(1).providerUsd()).isEqualByComparingTo("4.50");
    assertThat(findings.get(2).providerUsd()).isEqualByComparingTo("0.10");
    assertThat(findings.get(2).driftUsd()).isEqualByComparingTo("-0.10");
    assertThat(ReconcileRenderer.table(findings))
        .contains("unknown_line_item")
        .contains("1 finding(s) need a look");
  }
}
