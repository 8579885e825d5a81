package dev.tollgate.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A row of {@code calls} read back as a {@link Call}: the inverse of {@link LedgerRows#bindCall},
 * for every reader of raw calls (reports, the explorer, repricing, the rollups' backfill).
 */
final class CallRecords {
  private CallRecords() {}

  static Call read(ResultSet r) throws SQLException {
    Usage usage =
        new Usage(
            tokens(r, "input_tokens"),
            tokens(r, "cached_input_tokens"),
            tokens(r, "cache_write_tokens"),
            tokens(r, "output_tokens"),
            tokens(r, "reasoning_tokens"),
            tokens(r, "audio_input_tokens"),
            tokens(r, "audio_output_tokens"),
            tokens(r, "cache_write_1h_tokens"),
            tokens(r, "cached_audio_input_tokens"),
            Math.max(0, Math.min(Usage.MAX_DURATION_MILLIS, r.getLong("duration_ms"))));
    var parts = Cost.components();
    for (CostComponent component : CostComponent.values()) {
      parts.put(component, Money.fromPico(r.getLong("cost_" + component.label())));
    }
    Attribution attribution =
        new Attribution(
            r.getString("team"),
            LedgerRows.blank(r.getString("project")),
            LedgerRows.blank(r.getString("end_user")),
            LedgerRows.blank(r.getString("key_name")),
            json(r.getString("tags"), new TypeReference<>() {}),
            false);
    Call.Request asked =
        new Call.Request(
            r.getString("id"),
            Instant.ofEpochMilli(r.getLong("start_ms")),
            Api.byLabel(r.getString("api")),
            r.getString("method"),
            r.getString("path"),
            LedgerRows.blank(r.getString("requested_model")),
            LedgerRows.blank(r.getString("requested_tier")),
            r.getInt("stream") != 0,
            attribution,
            LedgerRows.blank(r.getString("session_id")),
            null, // the ledger keeps the cache writes' retention in their counts, not the ask
            null);
    // The ledger keeps whole milliseconds; the call's end is start + latency as it was written.
    Call.Relay relay =
        new Call.Relay(
            r.getInt("http_status"),
            Outcome.UNRECORDED,
            Timings.ofMillis(r.getLong("latency_ms"), r.getLong("ttft_ms")));
    Call.Served served =
        new Call.Served(
            LedgerRows.blank(r.getString("upstream")),
            LedgerRows.blank(r.getString("served_model")),
            LedgerRows.blank(r.getString("served_tier")),
            usage,
            json(r.getString("tool_calls"), new TypeReference<Map<String, Long>>() {}),
            LedgerRows.blank(r.getString("error")),
            LedgerRows.blank(r.getString("provider")));
    List<Reason> reasons =
        json(r.getString("reasons"), new TypeReference<List<String>>() {}).stream()
            .map(Reason::parse)
            .toList();
    long repricedMs = r.getLong("repriced_ms");
    Call.Before before =
        r.wasNull()
            ? null
            : new Call.Before(
                status(r.getString("prev_status")),
                LedgerRows.blank(r.getString("prev_price_version")),
                Money.fromPico(r.getLong("prev_cost_total")),
                Instant.ofEpochMilli(repricedMs));
    Call.Charge charge =
        new Call.Charge(
            status(r.getString("status")),
            LedgerRows.blank(r.getString("price_version")),
            Cost.of(parts),
            reasons,
            Map.of(),
            before);
    return new Call(asked, relay, served, charge);
  }

  /**
   * A stored token count, clamped into the range a {@link Usage} holds: rows written before counts
   * were checked on the way in may hold anything, and must not make a report fail.
   */
  private static long tokens(ResultSet r, String column) throws SQLException {
    return Math.max(0, Math.min(Usage.MAX_COUNT, r.getLong(column)));
  }

  private static PricingStatus status(String stored) {
    return PricingStatus.valueOf(stored.toUpperCase(Locale.ROOT));
  }

  private static <T> T json(String text, TypeReference<T> type) {
    try {
      return LedgerRows.JSON.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
