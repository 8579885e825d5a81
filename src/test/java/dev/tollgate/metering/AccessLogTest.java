package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class AccessLogTest {
  /** A priced streamed chat call: 1,000 in (200 cached, 50 written), 100 out (40 reasoning). */
  static Call call() {
    return new Call(
        new Call.Request(
            "01TESTID",
            Instant.parse("2026-12-01T10:00:00Z"),
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            "o3",
            null,
            true,
            new Attribution("search", "ranking", null, "key", Map.of(), false)),
        new Call.Relay(200, Outcome.OK, new Timings(40_000_000, -1, 12_000_000)),
        new Call.Served(
            "api.openai.com",
            "o3",
            "default",
            new Usage(1000, 200, 50, 100, 40, 0, 0),
            Map.of(),
            null,
            null),
        new Call.Charge(
            PricingStatus.PRICED,
            "o3@2025-06-10",
            Cost.of(Map.of(CostComponent.INPUT, new BigDecimal("0.0015000"))),
            List.of(),
            Map.of()));
  }

  /** The events an access log writes for what {@code calls} logs, once it has closed. */
  private static List<ILoggingEvent> written(java.util.function.Consumer<AccessLog> calls) {
    var access = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("tollgate.access");
    var lines = new ListAppender<ILoggingEvent>();
    lines.start();
    access.addAppender(lines);
    try {
      AccessLog log = new AccessLog(true);
      calls.accept(log);
      log.close(); // writes what is queued
    } finally {
      access.detachAppender(lines);
    }
    return lines.list;
  }

  @Test
  void tokenFieldsAreTheDisjointKindsReportsUseAndMissingValuesAreDashes() {
    List<ILoggingEvent> lines = written(log -> log.log(call()));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getFormattedMessage())
        .isEqualTo(
            "id=01TESTID method=POST path=/v1/chat/completions status=200 model=o3 team=search"
                + " upstream_ms=- total_ms=40.000 input_tokens=750 cached_input_tokens=200"
                + " cache_write_tokens=50 output_tokens=60 reasoning_tokens=40 cost_usd=0.0015"
                + " pricing=priced outcome=ok");
  }

  @Test
  void jsonEncoderWritesTheSameFieldsAsTopLevelNumbersAndStrings() throws Exception {
    List<ILoggingEvent> lines =
        written(
            log -> {
              log.log(call());
              log.refused("01REFUSED", "GET", "/v1/{}/x", 404, -1, Outcome.OK);
            });
    var encoder = new net.logstash.logback.encoder.LogstashEncoder();
    encoder.setContext(
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("tollgate.access"))
            .getLoggerContext());
    encoder.start();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var relayed = json.readTree(encoder.encode(lines.get(0)));
    assertThat(relayed.get("id").asText()).isEqualTo("01TESTID");
    assertThat(relayed.get("status").isInt()).isTrue();
    assertThat(relayed.get("input_tokens").asLong()).isEqualTo(750);
    assertThat(relayed.get("total_ms").isNumber()).isTrue();
    assertThat(relayed.get("total_ms").decimalValue()).isEqualByComparingTo("40.000");
    assertThat(relayed.get("upstream_ms").isNull()).isTrue(); // not measured: null, not "-"
    assertThat(relayed.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0015");
    assertThat(relayed.get("pricing").asText()).isEqualTo("priced");
    assertThat(relayed.has("tags")).isFalse(); // the marker carries fields, it is not a tag
    assertThat(relayed.get("message").asText()).startsWith("id=01TESTID method=POST");
    // A path is data, never a format: "{}" stays as sent, in both forms.
    var refused = json.readTree(encoder.encode(lines.get(1)));
    assertThat(refused.get("path").asText()).isEqualTo("/v1/{}/x");
    assertThat(refused.get("total_ms").isNull()).isTrue();
    assertThat(lines.get(1).getFormattedMessage())
        .isEqualTo("id=01REFUSED method=GET path=/v1/{}/x status=404 total_ms=- outcome=ok");
  }

  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        1,
        499,
        500,
        999,
        1_000,
        9_999,
        10_000,
        123_456,
        999_999,
        1_000_000,
        1_000_499,
        12_345_678,
        999_999_999,
        60_000_000_000L,
        -1,
        -1_500,
        -2_000_000,
        -12_345_678
      })
  void millisMatchesTheFormattedValue(long nanos) {
    String expected = String.format(Locale.ROOT, "%.3f", Math.round(nanos / 1_000.0) / 1_000.0);
    assertThat(AccessFields.formatMillis(nanos))
        .isEqualTo(expected.equals("-0.000") ? "0.000" : expected);
  }
}
