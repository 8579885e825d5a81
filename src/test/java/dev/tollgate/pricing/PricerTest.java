package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every pricing rule against the shipped catalog, with hand-computed exact expectations. */
class PricerTest {
  @ParameterizedTest
  @CsvSource({
    "2026-12-01T00:00:00Z, 2026-12-01",
    "2026-12-01T10:15:30Z, 2026-12-01T10:15:30Z",
    "2026-12-01T00:00:00.001Z, 2026-12-01T00:00:00.001Z",
    "2026-12-02T00:00:00Z, 2026-12-02T00:00:00Z"
  })
  void aVersionIsNamedByItsDayUnlessItBeganDuringOne(String since, String label) {
    var v =
        new PriceVersion(
            java.time.LocalDate.parse("2026-12-01"),
            null,
            Map.of(),
            java.util.Optional.empty(),
            java.util.List.of(),
            Map.of(),
            false,
            Instant.parse(since));
    assertThat(v.label()).isEqualTo(label);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-12-07T00:00:00Z",
    "2026-12-07T23:59:59.999999999Z",
    "2026-12-07T13:45:12.5Z",
    "1969-12-31T22:00:00.25Z",
    "1970-01-01T00:00:00Z"
  })
  void utcTimeOfDayMatchesTheZonedOne(String at) {
    Instant t = Instant.parse(at);
    assertThat(Pricer.utcTime(t)).isEqualTo(t.atZone(java.time.ZoneOffset.UTC).toLocalTime());
  }

  static final PriceCatalog CATALOG = CatalogLoader.bundled();
  final Pricer pricer = new Pricer(new ToolQuota());

  Charge price(String model, String tier, Usage usage, String at) {
    Charge p =
        pricer.price(CATALOG, model, ServiceTier.of(tier), usage, Map.of(), Instant.parse(at));
    // Every case here also checks the estimate (a budget's worst case): same rules, same cost and
    // status, without the id and savings.
    Charge e = pricer.estimate(CATALOG, model, ServiceTier.of(tier), usage, Instant.parse(at));
    assertThat(e.cost()).isEqualTo(p.cost());
    assertThat(e.status()).isEqualTo(p.status());
    assertThat(e.reasons()).isEqualTo(p.reasons());
    assertThat(e.savings()).isEmpty();
    return p;
  }

  @Test
  void anO3ChatCallWithCacheAndReasoningCostsExactlyWhatTheInvoiceSays() {
    // 2000 prompt (1024 cached), 500 completion (300 reasoning) at $2 / $0.50 / $8.
    Charge p =
        price(
            "o3-2025-04-16",
            "default",
            new Usage(2000, 1024, 0, 500, 300, 0, 0),
            "2026-11-01T10:00:00Z");

    assertThat(p.status()).isEqualTo(PricingStatus.PRICED);
    assertThat(p.priceVersion()).isEqualTo("o3@2025-06-10");
    assertThat(Money.format(p.cost().total())).isEqualTo("0.006464");
    assertThat(p.cost().get(CostComponent.INPUT)).isEqualByComparingTo("0.001952"); // 976 uncached
    assertThat(p.cost().get(CostComponent.CACHED_INPUT)).isEqualByComparingTo("0.000512");
    assertThat(p.cost().get(CostComponent.OUTPUT)).isEqualByComparingTo("0.0016"); // 200 visible
    assertThat(p.cost().get(CostComponent.REASONING)).isEqualByComparingTo("0.0024");
  }

  @Test
  void aRealtimeTurnPricesTextAudioAndCachedAudioEachAtItsOwnRate() {
    // 1500 in: 500 cached (300 text, 200 audio), 600 audio uncached, 400 text uncached;
    // 800 out: 600 audio, 200 text.
    Usage turn = new Usage(1500, 500, 0, 800, 0, 600, 600, 0, 200);
    Charge mini = price("gpt-realtime-mini", null, turn, "2026-11-01T10:00:00Z");
    // 400 x 0.6 + 600 x 10 + 300 x 0.06 + 200 x 0.3 + 200 x 2.4 + 600 x 20, per 1M
    assertThat(Money.format(mini.cost().total())).isEqualTo("0.018798");
    assertThat(mini.cost().get(CostComponent.CACHED_INPUT)).isEqualByComparingTo("0.000078");
    // The cache saved 300 x (0.6 - 0.06) on text and 200 x (10 - 0.3) on audio.
    assertThat(mini.savings().get("cache")).isEqualByComparingTo("0.002102");
    Charge full = price("gpt-realtime", null, turn, "2026-11-01T10:00:00Z");
    // 400 x 4 + 600 x 32 + 500 x 0.4 + 200 x 16 + 600 x 64, per 1M
    assertThat(Money.format(full.cost().total())).isEqualTo("0.0626");
    // A model without a cached audio rate prices cached audio at its cached rate.
    Charge plain = price("gpt-4o", null, turn, "2026-11-01T10:00:00Z");
    assertThat(plain.cost().get(CostComponent.CACHED_INPUT))
        .isEqualByComparingTo(
            price("gpt-4o", null, new Usage(1500, 500, 0, 800, 0, 600, 600), "2026-11-01T10:00:00Z")
                .cost()
                .get(CostComponent.CACHED_INPUT));
  }

  @Test
  void aFlexResponsesCallOnO3IsPricedAtFlexRates() {
    Charge p =
        price("o3", "flex", new Usage(10000, 8000, 0, 2000, 0, 0, 0), "2026-11-01T10:00:00Z");
    assertThat(p.priceVersion()).isEqualTo("o3@2025-06-10/flex");
    assertThat(Money.format(p.cost().total())).isEqualTo("0.012");
  }

  @Test
  void savingsFromCachingAndFromACheaperTierAreReportedExactly() {
    // o3 flex: 10000 in (8000 cached), 2000 out. Cache saved 8000 x (1 - 0.25); flex saved
    // what default rates would have cost (2000 x 2 + 8000 x 0.5 + 2000 x 8 = 0.024) minus 0.012.
    Charge flex =
        price("o3", "flex", new Usage(10000, 8000, 0, 2000, 0, 0, 0), "2026-11-01T10:00:00Z");
    assertThat(flex.savings()).containsOnlyKeys("cache", "flex");
    assertThat(flex.savings().get("cache")).isEqualByComparingTo("0.006");
    assertThat(flex.savings().get("flex")).isEqualByComparingTo("0.012");
    Charge priority =
        price("o3", "priority", new Usage(10000, 8000, 0, 2000, 0, 0, 0), "2026-11-01T10:00:00Z");
    assertThat(priority.savings()).containsOnlyKeys("cache"); // a dearer tier saves nothing
    assertThat(price("o3", null, Usage.of(100, 10), "2026-11-01T10:00:00Z").savings()).isEmpty();
  }

  @Test
  void reasoningOnAFlexCallIsBilledAtTheFlexOutputRate() {
    // 10000 in (8000 cached), 2000 out of which 1800 reasoning: 2000 x 1 + 8000 x 0.25 + 2000 x 4.
    Charge p =
        price("o3", "flex", new Usage(10000, 8000, 0, 2000, 1800, 0, 0), "2026-11-01T10:00:00Z");
    assertThat(p.cost().get(CostComponent.REASONING)).isEqualByComparingTo("0.0072");
    assertThat(Money.format(p.cost().total())).isEqualTo("0.012");
  }

  @ParameterizedTest(name = "o3 at {0} -> {1}")
  @CsvSource({
    "2025-06-09T23:59:59.999Z, o3@2025-04-16, 0.05", // 1000 in x $10 + 1000 out x $40
    "2025-06-10T00:00:00Z,     o3@2025-06-10, 0.01", // the cut applies from midnight UTC
    "2025-04-16T00:00:00Z,     o3@2025-04-16, 0.05",
  })
  void theVersionInEffectAtTheCallsStartPricesIt(String at, String version, String total) {
    Charge p = price("o3", null, Usage.of(1000, 1000), at);
    assertThat(p.priceVersion()).isEqualTo(version);
    assertThat(Money.format(p.cost().total())).isEqualTo(total);
    assertThat(p.status()).isEqualTo(PricingStatus.PRICED);
  }

  @Test
  void aCallBeforeAModelsFirstPriceIsPricedAtItButFlagged() {
    Charge p = price("o3", null, Usage.of(1000, 1000), "2025-04-15T12:00:00Z");
    assertThat(p.status()).isEqualTo(PricingStatus.ESTIMATED);
    assertThat(p.reasons()).map(Object::toString).containsExactly("before_first_price:2025-04-16");
  }

  @Test
  void aSyncedSourcesFirstPriceCoversTheModelsEarlierCalls() {
    // The source's first price is dated when Tollgate first saw it, not when it took effect: it
    // is the only price the model ever had, so a call before that is priced by it, unflagged.
    PriceCatalog synced =
        CatalogLoader.parse(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(
                    Map.of(
                        "models",
                        Map.of(
                            "late-model",
                            Map.of(
                                "provider",
                                "openai",
                                "versions",
                                java.util.List.of(
                                    Map.of(
                                        "from",
                                        "2026-12-01T10:00:00Z",
                                        "input",
                                        2,
                                        "output",
                                        8)))))),
            "litellm");
    Charge p =
        new Pricer(new ToolQuota())
            .price(
                synced,
                "late-model",
                ServiceTier.DEFAULT,
                Usage.of(1000, 500),
                Map.of(),
                Instant.parse("2026-11-20T00:00:00Z"));
    assertThat(p.status()).isEqualTo(PricingStatus.PRICED);
    assertThat(p.reasons()).isEmpty();
    assertThat(Money.format(p.cost().total())).isEqualTo("0.006"); // 1000 x $2 + 500 x $8
  }

  @ParameterizedTest(name = "{0} served as {1} -> {2} {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "o3,      flex,     o3@2025-06-10/flex,     0.005,  priced",
        "o3,      priority, o3@2025-06-10/priority, 0.0175, priced",
        "o3,      batch,    o3@2025-06-10/batch,    0.005,  priced",
        "o3,      default,  o3@2025-06-10,          0.01,   priced",
        "o3,      auto,     o3@2025-06-10,          0.01,   priced",
        "o3,      null,     o3@2025-06-10,          0.01,   priced",
        "o3,      scale,    o3@2025-06-10,          0.01,   estimated", // no scale rates: default +
        // flag
        "gpt-5,   priority, gpt-5@2025-08-07/priority, 0.0225, priced",
        "o4-mini, flex,     o4-mini@2025-04-16/flex, 0.00275, priced",
      })
  void theServedTierPricesTheCallAndAnUnpricedTierIsFlagged(
      String model, String tier, String version, String total, String status) {
    Charge p = price(model, tier, Usage.of(1000, 1000), "2026-11-01T10:00:00Z");
    assertThat(p.priceVersion()).isEqualTo(version);
    assertThat(Money.format(p.cost().total())).isEqualTo(total);
    assertThat(p.status().label()).isEqualTo(status);
    if (status.equals("estimated")) {
      assertThat(p.reasons()).map(Object::toString).containsExactly("tier_unpriced:" + tier);
    }
    if (tier != null && tier.equals("priority")) {
      assertThat(p.cost().total())
          .isGreaterThan(
              price(model, null, Usage.of(1000, 1000), "2026-11-01T10:00:00Z").cost().total());
    }
  }

  @ParameterizedTest(name = "{0} {1} on {7} -> {8} {9} {10}")
  @CsvSource(
      nullValues = "null",
      value = {
        // model, tier, input, cached, cache write, output, reasoning, when, version, USD, status
        "gpt-5.4-mini-2026-03-17, null, 10000, 2000, 0, 1000, 500, 2026-11-01, gpt-5.4-mini@2026-03-17, 0.01065, priced",
        "gpt-5.4-mini, priority, 10000, 2000, 0, 1000, 500, 2026-11-01, gpt-5.4-mini@2026-03-17/priority, 0.0213, priced",
        "gpt-5.4, flex, 10000, 2000, 0, 1000, 500, 2026-11-01, gpt-5.4@2026-03-05/flex, 0.01776, priced",
        // the long-context cliff: the whole call at 2x input, 1.5x output (PRICES.md's worked
        // example)
        "gpt-5.4, null, 300000, 0, 0, 10000, 0, 2026-11-01, gpt-5.4@2026-03-05/long, 1.725, priced",
        "gpt-5.4-nano, batch, 10000, 0, 0, 1000, 0, 2026-11-01, gpt-5.4-nano@2026-03-17/batch, 0.001625, priced",
        "gpt-5.5, priority, 1000, 0, 0, 1000, 0, 2026-11-01, gpt-5.5@2026-04-23/priority, 0.0875, priced",
        "gpt-5.2-codex, flex, 1000, 0, 0, 1000, 0, 2026-11-01, gpt-5.2@2025-12-11/flex, 0.007875, priced",
        "gpt-5.1-codex, null, 1000, 0, 0, 1000, 0, 2026-11-01, gpt-5.1@2025-11-13, 0.01125, priced",
        // cache writes at their own rate, before and during the (unconfirmed) Sol promo
        "gpt-5.6-sol, null, 10000, 2000, 4000, 1000, 0, 2026-07-15, gpt-5.6-sol@2026-07-09, 0.076, priced",
        "gpt-5.6-sol, null, 10000, 2000, 4000, 1000, 0, 2026-09-01, gpt-5.6-sol@2026-08-21, 0.0568, estimated",
        "gpt-5.6-luna, null, 10000, 0, 0, 1000, 0, 2026-07-29, gpt-5.6-luna@2026-07-09, 0.016, priced",
        "gpt-5.6-luna, null, 10000, 0, 0, 1000, 0, 2026-07-30, gpt-5.6-luna@2026-07-30, 0.0032, priced",
        "gpt-5.6-terra, batch, 10000, 0, 0, 1000, 0, 2026-08-01, gpt-5.6-terra@2026-07-30/batch, 0.016, priced",
        // Codex CLI's default model: priced from third-party figures, so flagged
        "gpt-6.1-sol, null, 10000, 2000, 0, 1000, 500, 2026-12-01, gpt-6.1-sol@2026-09-29, 0.0262, estimated",
        // priority with no catalog rates: twice default, never default
        "gpt-5-nano, priority, 1000, 0, 0, 1000, 0, 2026-11-01, gpt-5-nano@2025-08-07/priority~, 0.0009, estimated",
        "gpt-4.1-mini, priority, 1000, 0, 0, 1000, 0, 2026-11-01, gpt-4.1-mini@2025-04-14/priority, 0.0035, priced",
        "o4-mini, priority, 1000, 0, 0, 1000, 0, 2026-11-01, o4-mini@2025-04-16/priority, 0.01, priced",
        "text-embedding-ada-002, null, 1000, 0, 0, 0, 0, 2026-11-01, text-embedding-ada-002@2022-12-15, 0.0001, priced",
      })
  void everyCurrentModelFamilyIsPricedFromItsCatalogRow(
      String model,
      String tier,
      long input,
      long cached,
      long write,
      long output,
      long reasoning,
      String day,
      String version,
      String total,
      String status) {
    Charge p =
        price(
            model,
            tier,
            new Usage(input, cached, write, output, reasoning, 0, 0),
            day + "T12:00:00Z");
    assertThat(p.priceVersion()).isEqualTo(version);
    assertThat(Money.format(p.cost().total())).isEqualTo(total);
    assertThat(p.status().label()).isEqualTo(status);
  }

  @org.junit.jupiter.api.Test
  void aPriceMarkedUnconfirmedSaysSo() {
    Charge p = price("gpt-6.1-sol", null, Usage.of(1000, 1000), "2026-12-01T12:00:00Z");
    assertThat(p.reasons()).map(Object::toString).containsExactly("price_unconfirmed");
  }

  @ParameterizedTest(name = "gemini-2.5-pro with {0} input tokens -> {1}")
  @CsvSource({
    "200000, gemini-2.5-pro@2025-10-31,      0.26", // 200000 x 1.25 + 1000 x 10: at the threshold,
    // not above
    "200001, gemini-2.5-pro@2025-10-31/long, 0.5150025", // 200001 x 2.50 + 1000 x 15
  })
  void longContextRatesApplyAboveTheThreshold(long input, String version, String total) {
    Charge p = price("gemini-2.5-pro", null, Usage.of(input, 1000), "2026-11-01T10:00:00Z");
    assertThat(p.priceVersion()).isEqualTo(version);
    assertThat(Money.format(p.cost().total())).isEqualTo(total);
  }

  @ParameterizedTest(name = "deepseek-chat at {0} -> {1}")
  @CsvSource({
    "2025-03-01T16:29:59Z, deepseek-chat@2025-02-26,          0.00137",
    "2025-03-01T16:30:00Z, deepseek-chat@2025-02-26/off_peak, 0.000685",
    "2025-03-01T23:59:59Z, deepseek-chat@2025-02-26/off_peak, 0.000685",
    "2025-03-02T00:29:59Z, deepseek-chat@2025-02-26/off_peak, 0.000685",
    "2025-03-02T00:30:00Z, deepseek-chat@2025-02-26,          0.00137",
    "2025-09-05T20:00:00Z, deepseek-chat@2025-09-05,          0.00224", // off-peak ended with this
    // version
    "2025-09-29T20:00:00Z, deepseek-chat@2025-09-29,          0.0007",
  })
  void offPeakWindowsAreEffectiveDatedAndWrapMidnight(String at, String version, String total) {
    // 1000 miss + 1000 output: 0.27 + 1.10 = 1.37 per 1M each -> 0.00137
    Charge p = price("deepseek-chat", null, Usage.of(1000, 1000), at);
    assertThat(p.priceVersion()).isEqualTo(version);
    assertThat(Money.format(p.cost().total())).isEqualTo(total);
  }

  @Test
  void cacheWritesAreBilledAtTheirOwnRatesAndNeverTwice() {
    // Claude Sonnet 4: 10000 input of which 8000 cache reads, 1500 5m writes, 500 1h writes.
    Usage u = new Usage(10_050, 8000, 2000, 120, 0, 0, 0, 500);
    Charge p = price("claude-sonnet-4-20250514", null, u, "2026-11-01T10:00:00Z");
    assertThat(p.cost().get(CostComponent.INPUT)).isEqualByComparingTo("0.00015"); // 50 x 3
    assertThat(p.cost().get(CostComponent.CACHED_INPUT))
        .isEqualByComparingTo("0.0024"); // 8000 x 0.30
    assertThat(p.cost().get(CostComponent.CACHE_WRITE))
        .isEqualByComparingTo("0.008625"); // 1500 x 3.75 + 500 x 6
    assertThat(p.cost().get(CostComponent.OUTPUT)).isEqualByComparingTo("0.0018"); // 120 x 15
    assertThat(p.cost().total()).isEqualByComparingTo("0.012975");
  }

  @Test
  void aCacheWriteWithoutACatalogRateCostsOneAndAQuarterTimesInput() {
    // gpt-5.4: 50000 in (30000 cached, 15000 written), 1000 out of which 600 reasoning.
    Charge p =
        price(
            "gpt-5.4",
            null,
            new Usage(50_000, 30_000, 15_000, 1000, 600, 0, 0),
            "2026-11-01T10:00:00Z");
    assertThat(p.cost().get(CostComponent.INPUT)).isEqualByComparingTo("0.0125"); // 5000 x 2.50
    assertThat(p.cost().get(CostComponent.CACHED_INPUT))
        .isEqualByComparingTo("0.0075"); // 30000 x 0.25
    assertThat(p.cost().get(CostComponent.CACHE_WRITE))
        .isEqualByComparingTo("0.046875"); // 15000 x 3.125
    assertThat(p.cost().get(CostComponent.OUTPUT)).isEqualByComparingTo("0.006"); // 400 x 15
    assertThat(p.cost().get(CostComponent.REASONING)).isEqualByComparingTo("0.009"); // 600 x 15
  }

  @Test
  void componentsAlwaysAddUpToTheTotal() {
    Usage u = new Usage(123_457, 65_432, 1_111, 98_765, 43_210, 777, 55);
    Charge p = price("gpt-4o", "priority", u, "2026-11-01T10:00:00Z");
    dev.tollgate.call.Cost c = p.cost();
    assertThat(
            java.util.Arrays.stream(CostComponent.values())
                .map(c::get)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
        .isEqualByComparingTo(c.total());
    assertThat(c.total().scale()).isLessThanOrEqualTo(12);
  }

  @Test
  void toolCallsAddPerCallFeesAfterAnyFreeDailyQuota() {
    PriceCatalog catalog =
        CatalogLoader.parse(
            """
        models:
          g:
            versions:
              - from: 2025-01-01
                input: 1
                output: 1
                tools: {google_search: {per_1k_calls: 35, free_per_day: 2}, web_search: {per_1k_calls: 10}}
        """);
    Instant day1 = Instant.parse("2026-11-01T10:00:00Z");
    Charge first =
        pricer.price(
            catalog,
            "g",
            ServiceTier.DEFAULT,
            Usage.ZERO,
            Map.of("google_search", 1L, "web_search", 3L),
            day1);
    Charge second =
        pricer.price(
            catalog, "g", ServiceTier.DEFAULT, Usage.ZERO, Map.of("google_search", 2L), day1);
    Charge nextDay =
        pricer.price(
            catalog,
            "g",
            ServiceTier.DEFAULT,
            Usage.ZERO,
            Map.of("google_search", 1L),
            day1.plusSeconds(86_400));

    assertThat(first.cost().get(CostComponent.TOOLS))
        .isEqualByComparingTo("0.03"); // 3 web searches; 1 free grounding
    assertThat(second.cost().get(CostComponent.TOOLS))
        .isEqualByComparingTo("0.035"); // 1 of 2 still free, 1 billed
    assertThat(nextDay.cost().get(CostComponent.TOOLS))
        .isEqualByComparingTo("0"); // a new day, a new quota
    assertThat(first.cost().total()).isEqualByComparingTo(first.cost().get(CostComponent.TOOLS));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "o3,                           o3",
        "O3-2025-04-16,                o3",
        "openai/gpt-4o,                gpt-4o",
        "openai/gpt-4o-2024-08-06,     gpt-4o",
        "gpt-4o-2024-05-13,            gpt-4o-2024-05-13", // the exact snapshot before the alias
        "claude-sonnet-4-20250514,     claude-sonnet-4",
        "claude-sonnet-4-5-20250929,   claude-sonnet-4",
        "claude-opus-4-0,              claude-opus-4",
        "anthropic/claude-haiku-4-5,   claude-haiku-4-5",
        "google/gemini-2.5-pro,        gemini-2.5-pro",
        "gpt-5.1,                      gpt-5.1", // its own entry since gpt-5.1 launched
        "ft:gpt-4o-mini:acme::abc123,  null",
        "my-local-llama,               null",
        "'',                           null",
      })
  void modelNamesResolveByExactNameAliasSnapshotThenPrefix(String name, String expected) {
    assertThat(CATALOG.resolve(name).map(ModelPrice::name).orElse(null)).isEqualTo(expected);
  }

  @Test
  void anUnknownModelIsUnpricedNeverFree() {
    Charge p = price("my-local-llama", null, Usage.of(1000, 1000), "2026-11-01T10:00:00Z");
    assertThat(p.status()).isEqualTo(PricingStatus.UNPRICED);
    assertThat(p.priceVersion()).isNull();
    assertThat(p.reasons()).map(Object::toString).containsExactly("no_price:my-local-llama");
  }

  @Test
  void perUpstreamOverridesReplaceTheBasePrice() {
    PriceCatalog catalog =
        CatalogLoader.parse(
            """
        models:
          m: {versions: [{from: 2025-01-01, input: 1, output: 2}]}
        upstreams:
          gateway.internal:
            models:
              m: {versions: [{from: 2025-01-01, input: 0.5, output: 1}]}
        """);
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(
            pricer
                .price(catalog, "m", ServiceTier.DEFAULT, Usage.of(1_000_000, 0), Map.of(), at)
                .cost()
                .total())
        .isEqualByComparingTo(BigDecimal.ONE);
    assertThat(
            pricer
                .price(
                    catalog.forUpstream("gateway.internal"),
                    "m",
                    ServiceTier.DEFAULT,
                    Usage.of(1_000_000, 0),
                    Map.of(),
                    at)
                .cost()
                .total())
        .isEqualByComparingTo("0.5");
  }
}
