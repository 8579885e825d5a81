package dev.tollgate.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.Attribution;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallVocabularyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "null, default",
        "'', default",
        "' ', default",
        "default, default",
        "DEFAULT, default",
        "auto, default",
        "standard, default",
        "Standard, default",
        // Fast is Priority renamed (2026-07-30): labelled as served, priced as one (priced()).
        "fast, fast",
        "FAST, fast",
        "ultrafast, ultrafast",
        "priority, priority",
        "Priority, priority",
        "flex, flex",
        " FLEX , flex",
        "batch, batch",
        "scale, scale"
      })
  void aServiceTierIsNormalisedOnceWhateverItsSpelling(String raw, String normalised) {
    assertThat(ServiceTier.of(raw).name()).isEqualTo(normalised);
    assertThat(ServiceTier.of(raw).isDefault()).isEqualTo(normalised.equals("default"));
    assertThat(ServiceTier.of(raw).priced().name())
        .isEqualTo(normalised.equals("fast") ? "priority" : normalised);
  }

  @Test
  void aCallServedAsStandardIsGroupedAtTheTierItWasPricedAt() {
    // Pricing treats "standard" as default; grouping once kept it as "standard". One tier now.
    Call standard = call("standard", "flex");
    assertThat(standard.tier()).isEqualTo(ServiceTier.DEFAULT);
    assertThat(Dimension.SERVICE_TIER.of(standard)).isEqualTo("default");
    assertThat(call(null, "flex").tier().name())
        .isEqualTo("flex"); // requested, when nothing was served
    assertThat(call(null, "auto").tier()).isEqualTo(ServiceTier.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource({
    "no_price:my-llama, NO_PRICE, my-llama", "tier_unpriced:scale, TIER_UNPRICED, scale",
    "before_first_price:2025-04-16, BEFORE_FIRST_PRICE, 2025-04-16",
        "already_billed:resp_1:x, ALREADY_BILLED, resp_1:x"
  })
  void aStoredReasonReadsBackAsTheSameTypedReason(String text, Reason.Kind kind, String detail) {
    Reason r = Reason.parse(text);
    assertThat(r).isEqualTo(new Reason(kind, detail));
    assertThat(r.toString()).isEqualTo(text);
  }

  @Test
  void aReasonWithoutDetailAndAnUnknownReasonBothSurviveARoundTrip() {
    assertThat(Reason.parse("usage_missing")).isEqualTo(Reason.of(Reason.Kind.USAGE_MISSING));
    Reason unknown = Reason.parse("from_a_newer_version:x");
    assertThat(unknown.kind()).isEqualTo(Reason.Kind.OTHER);
    assertThat(unknown.toString()).isEqualTo("from_a_newer_version:x");
  }

  @Test
  void costComponentsAddUpToTheTotalAndUnnamedOnesAreZero() {
    Cost c =
        Cost.of(
            Map.of(
                CostComponent.INPUT,
                new BigDecimal("0.0015"),
                CostComponent.REASONING,
                new BigDecimal("0.000137500")));
    assertThat(c.total()).isEqualByComparingTo("0.0016375");
    assertThat(c.get(CostComponent.TOOLS)).isZero();
    assertThat(
            Arrays.stream(CostComponent.values())
                .map(c::get)
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(c.total());
    assertThat(Cost.ZERO.total()).isZero();
  }

  @Test
  void tokenKindsPartitionTheUsage() {
    Usage u = new Usage(10_000, 6_000, 1_000, 2_000, 1_500, 0, 0);
    long sum = Arrays.stream(TokenKind.values()).mapToLong(k -> k.of(u)).sum();
    assertThat(sum).isEqualTo(u.total());
    assertThat(TokenKind.INPUT.of(u)).isEqualTo(3_000);
    assertThat(TokenKind.OUTPUT.of(u)).isEqualTo(500);
  }

  @Test
  void aTallyOfCallsSumsCountsTokensAndCostExactly() {
    Call priced = call(null, null);
    Call unpriced = priced.withCharge(Call.Charge.unpriced(Reason.of(Reason.Kind.NO_PRICE, "m")));
    Tally t = new Tally().add(priced).add(priced).add(unpriced);
    Tally merged =
        new Tally().add(new Tally().add(priced)).add(new Tally().add(priced).add(unpriced));
    assertThat(t.requests()).isEqualTo(3);
    assertThat(t.unpricedRequests()).isEqualTo(1);
    assertThat(t.tokens(TokenKind.CACHED_INPUT)).isEqualTo(3 * 200);
    assertThat(t.total())
        .isEqualByComparingTo("0.0000002750"); // two priced calls, 0.1375 per 1M each
    assertThat(merged.total()).isEqualByComparingTo(t.total());
    assertThat(merged.tokens(TokenKind.INPUT)).isEqualTo(t.tokens(TokenKind.INPUT));
  }

  private static Call call(String servedTier, String requestedTier) {
    Instant at = Instant.parse("2026-11-20T12:00:00Z");
    return new Call(
        new Call.Request(
            "c1",
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "gpt-4o",
            requestedTier,
            false,
            Attribution.NONE),
        new Call.Relay(200, Outcome.OK, new Timings(1_000_000, 900_000, 100_000)),
        new Call.Served(
            "api.openai.com",
            "gpt-4o",
            servedTier,
            new Usage(1000, 200, 0, 100, 0, 0, 0),
            Map.of(),
            null,
            null),
        new Call.Charge(
            PricingStatus.PRICED,
            "gpt-4o@2024-08-06",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal("0.0000001375"))),
            List.of(),
            Map.of()));
  }

  @Test
  void aTallyPastWhatALongOfPicoDollarsHoldsStaysExact() {
    Tally t = new Tally();
    for (int i = 0; i < 3; i++) {
      t.add(new Tally().addPicos(CostComponent.OUTPUT, 5_000_000_000_000_000_000L)); // $5M each
    }
    assertThat(t.total()).isEqualByComparingTo("15000000");
    assertThat(t.cost(CostComponent.OUTPUT)).isEqualByComparingTo("15000000");
    org.assertj.core.api.Assertions.assertThatThrownBy(t::totalPicos)
        .isInstanceOf(ArithmeticException.class); // never a wrapped, negative number
  }

  /** A call's day is its start's UTC date, at every edge of a day (and before 1970). */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2026-12-07T00:00:00Z, 2026-12-07",
    "2026-12-06T23:59:59.999Z, 2026-12-06",
    "2024-02-29T12:00:00Z, 2024-02-29",
    "1970-01-01T00:00:00Z, 1970-01-01",
    "1969-12-31T23:59:59.5Z, 1969-12-31",
  })
  void aCallsDayIsItsStartsUtcDate(String start, String day) {
    Call c =
        new Call(
            new Call.Request(
                "d",
                Instant.parse(start),
                Api.CHAT,
                "POST",
                "/v1/chat/completions",
                "m",
                null,
                false,
                Attribution.NONE),
            new Call.Relay(200, Outcome.OK, Timings.ofMillis(1, -1)),
            new Call.Served(null, "m", null, Usage.ZERO, Map.of(), null, null),
            Call.Charge.nothing(Reason.of(Reason.Kind.NOT_BILLABLE)));
    assertThat(c.day()).isEqualTo(day);
  }
}
