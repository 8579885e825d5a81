package dev.tollgate.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/** How a {@link CallRecord} maps onto the {@code calls} and {@code daily_spend} tables. */
final class LedgerRows {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String INSERT_CALL = "INSERT INTO calls (id, start_ms, end_ms, day, api, method, path, upstream,"
      + " requested_model, served_model, model, requested_tier, served_tier, service_tier, http_status, stream,"
      + " team, project, end_user, key_name, tags, input_tokens, cached_input_tokens, cache_write_tokens,"
      + " cache_write_1h_tokens, output_tokens, reasoning_tokens, audio_input_tokens, audio_output_tokens, tool_calls,"
      + " cost_input, cost_cached_input, cost_cache_write, cost_output, cost_reasoning, cost_tools, cost_total,"
      + " status, price_version, reasons, latency_ms, ttft_ms, error)"
      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
      + " ON CONFLICT (id) DO NOTHING";

  private static final List<String> DAILY_COUNTERS = DailyCounters.COLUMNS;

  static final String UPSERT_DAILY = "INSERT INTO daily_spend (day, team, project, end_user, key_name, model, api,"
      + " service_tier, " + String.join(", ", DAILY_COUNTERS) + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
      + " ON CONFLICT (day, team, project, end_user, key_name, model, api, service_tier) DO UPDATE SET "
      + String.join(", ", DAILY_COUNTERS.stream().map(c -> c + " = daily_spend." + c + " + excluded." + c).toList());

  /** The grouping key of a call in {@code daily_spend}. */
  record DailyKey(String day, String team, String project, String user, String key, String model, String api, String tier) {
    static DailyKey of(CallRecord c) {
      Attribution a = c.attribution();
      return new DailyKey(c.day(), a.team(), text(a.project()), text(a.user()), text(a.key()), text(c.model()), c.api(),
          c.pricedTier());
    }
  }

  private LedgerRows() {}

  static String text(String s) {
    return s == null ? "" : s;
  }

  static void bindCall(PreparedStatement p, CallRecord c) throws SQLException {
    Usage u = c.usage();
    CostBreakdown cost = c.cost();
    Attribution a = c.attribution();
    int i = 1;
    p.setString(i++, c.id());
    p.setLong(i++, c.start().toEpochMilli());
    p.setLong(i++, c.end().toEpochMilli());
    p.setString(i++, c.day());
    p.setString(i++, c.api());
    p.setString(i++, c.method());
    p.setString(i++, c.path());
    p.setString(i++, text(c.upstream()));
    p.setString(i++, text(c.requestedModel()));
    p.setString(i++, text(c.servedModel()));
    p.setString(i++, text(c.model()));
    p.setString(i++, text(c.requestedTier()));
    p.setString(i++, text(c.servedTier()));
    p.setString(i++, c.pricedTier());
    p.setInt(i++, c.httpStatus());
    p.setInt(i++, c.stream() ? 1 : 0);
    p.setString(i++, a.team());
    p.setString(i++, text(a.project()));
    p.setString(i++, text(a.user()));
    p.setString(i++, text(a.key()));
    p.setString(i++, json(a.tags()));
    for (long n : new long[] {u.input(), u.cachedInput(), u.cacheWrite(), u.cacheWrite1h(), u.output(), u.reasoning(),
        u.audioInput(), u.audioOutput()}) {
      p.setLong(i++, n);
    }
    p.setString(i++, json(c.toolCalls()));
    for (BigDecimal usd : new BigDecimal[] {cost.input(), cost.cachedInput(), cost.cacheWrite(), cost.output(),
        cost.reasoning(), cost.tools(), cost.total()}) {
      p.setLong(i++, Money.toPico(usd));
    }
    p.setString(i++, c.status().label());
    p.setString(i++, text(c.priceVersion()));
    p.setString(i++, json(c.reasons()));
    p.setLong(i++, c.latencyMillis());
    p.setLong(i++, c.ttftMillis());
    p.setString(i, text(c.error()));
  }

  static void bindDaily(PreparedStatement p, DailyKey k, long[] totals) throws SQLException {
    int i = 1;
    for (String s : new String[] {k.day(), k.team(), k.project(), k.user(), k.key(), k.model(), k.api(), k.tier()}) {
      p.setString(i++, Objects.requireNonNull(s));
    }
    for (long t : totals) {
      p.setLong(i++, t);
    }
  }

  private static String json(Object value) {
    // Most calls have no tags, tool calls or reasons: skip the serializer for those.
    if (value instanceof java.util.Collection<?> c && c.isEmpty()) {
      return "[]";
    }
    if (value instanceof java.util.Map<?, ?> m && m.isEmpty()) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
