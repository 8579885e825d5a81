package dev.tollgate.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Call;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Tally;
import dev.tollgate.call.Usage;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/** How a {@link Call} maps onto the {@code calls} and {@code daily_spend} tables. */
final class LedgerRows {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> CALL_COLUMNS = callColumns();
  private static final CostComponent[] COMPONENTS = CostComponent.values(); // values() copies

  /**
   * A call offered again (a retried commit) conflicts with its own row and is skipped. No conflict
   * target: the key is (id) on SQLite and (id, start_ms) on a partitioned PostgreSQL ledger (V20),
   * and a call's row always carries its own start.
   */
  static final String INSERT_CALL =
      "INSERT INTO calls ("
          + String.join(", ", CALL_COLUMNS)
          + ") VALUES ("
          + String.join(",", java.util.Collections.nCopies(CALL_COLUMNS.size(), "?"))
          + ") ON CONFLICT DO NOTHING";

  private static final List<String> DAILY_KEY =
      List.of("day", "team", "project", "end_user", "key_name", "model", "api", "service_tier");
  private static final List<String> DAILY_COUNTERS = DailyCounters.COLUMNS;

  static final String UPSERT_DAILY =
      "INSERT INTO daily_spend ("
          + String.join(", ", DAILY_KEY)
          + ", "
          + String.join(", ", DAILY_COUNTERS)
          + ") VALUES ("
          + String.join(
              ",", java.util.Collections.nCopies(DAILY_KEY.size() + DAILY_COUNTERS.size(), "?"))
          + ")"
          + " ON CONFLICT ("
          + String.join(", ", DAILY_KEY)
          + ") DO UPDATE SET "
          + String.join(
              ", ",
              DAILY_COUNTERS.stream()
                  .map(c -> c + " = daily_spend." + c + " + excluded." + c)
                  .toList());

  /** The {@code calls} columns in the order {@link #bindCall} binds them. */
  private static List<String> callColumns() {
    List<String> c =
        new java.util.ArrayList<>(
            List.of(
                "id",
                "start_ms",
                "end_ms",
                "day",
                "api",
                "method",
                "path",
                "upstream",
                "requested_model",
                "served_model",
                "model",
                "requested_tier",
                "served_tier",
                "service_tier",
                "http_status",
                "stream",
                "team",
                "project",
                "end_user",
                "key_name",
                "tags",
                "input_tokens",
                "cached_input_tokens",
                "cache_write_tokens",
                "cache_write_1h_tokens",
                "output_tokens",
                "reasoning_tokens",
                "audio_input_tokens",
                "audio_output_tokens",
                "tool_calls"));
    for (CostComponent p : CostComponent.values()) {
      c.add("cost_" + p.label());
    }
    c.addAll(
        List.of(
            "cost_total",
            "status",
            "price_version",
            "reasons",
            "latency_ms",
            "ttft_ms",
            "error",
            "provider",
            "session_id",
            "cached_audio_input_tokens",
            "duration_ms"));
    return List.copyOf(c);
  }

  /** The grouping key of a call in {@code daily_spend}. */
  record DailyKey(
      String day,
      String team,
      String project,
      String user,
      String key,
      String model,
      String api,
      String tier) {
    static DailyKey of(Call c) {
      Attribution a = c.attribution();
      return new DailyKey(
          c.day(),
          a.team(),
          text(a.project()),
          text(a.user()),
          text(a.key()),
          text(c.model()),
          c.asked().api().label(),
          c.tier().name());
    }
  }

  private LedgerRows() {}

  /** The inverse of {@link #text}: a stored "" read back as none. */
  static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String text(String s) {
    return s == null ? "" : s;
  }

  static void bindCall(PreparedStatement p, Call c) throws SQLException {
    Usage u = c.usage();
    Call.Request asked = c.asked();
    Call.Served served = c.served();
    Attribution a = c.attribution();
    int i = 1;
    p.setString(i++, c.id());
    p.setLong(i++, c.start().toEpochMilli());
    p.setLong(i++, c.end().toEpochMilli());
    p.setString(i++, c.day());
    p.setString(i++, asked.api().label());
    p.setString(i++, asked.method());
    p.setString(i++, asked.path());
    p.setString(i++, text(served.upstream()));
    p.setString(i++, text(asked.model()));
    p.setString(i++, text(served.model()));
    p.setString(i++, text(c.model()));
    p.setString(i++, text(asked.tier()));
    p.setString(i++, text(served.tier()));
    p.setString(i++, c.tier().name());
    p.setInt(i++, c.relay().status());
    p.setInt(i++, asked.stream() ? 1 : 0);
    p.setString(i++, a.team());
    p.setString(i++, text(a.project()));
    p.setString(i++, text(a.user()));
    p.setString(i++, text(a.key()));
    p.setString(i++, json(a.tags()));
    p.setLong(i++, u.input());
    p.setLong(i++, u.cachedInput());
    p.setLong(i++, u.cacheWrite());
    p.setLong(i++, u.cacheWrite1h());
    p.setLong(i++, u.output());
    p.setLong(i++, u.reasoning());
    p.setLong(i++, u.audioInput());
    p.setLong(i++, u.audioOutput());
    p.setString(i++, json(served.toolCalls()));
    for (CostComponent component : COMPONENTS) {
      p.setLong(i++, c.cost().pico(component));
    }
    p.setLong(i++, c.cost().picoTotal());
    p.setString(i++, c.status().label());
    p.setString(i++, text(c.charge().priceVersion()));
    List<Reason> reasons = c.charge().reasons();
    p.setString(
        i++, reasons.isEmpty() ? "[]" : json(reasons.stream().map(Object::toString).toList()));
    p.setLong(i++, c.relay().timings().totalMillis());
    p.setLong(i++, c.relay().timings().ttftMillis());
    p.setString(i++, text(served.error()));
    p.setString(i++, text(served.provider()));
    p.setString(i++, text(asked.session()));
    p.setLong(i++, u.cachedAudioInput());
    p.setLong(i, u.durationMillis());
  }

  static void bindDaily(PreparedStatement p, DailyKey k, Tally totals) throws SQLException {
    int i = 1;
    for (String s :
        new String[] {
          k.day(), k.team(), k.project(), k.user(), k.key(), k.model(), k.api(), k.tier()
        }) {
      p.setString(i++, Objects.requireNonNull(s));
    }
    DailyCounters.bind(p, i, totals);
  }

  static String json(Object value) {
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
