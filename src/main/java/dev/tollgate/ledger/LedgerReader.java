package dev.tollgate.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PricingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Reads calls back from the ledger. Blocking JDBC: never call it on an event loop. */
public final class LedgerReader {
  private final DataSource db;

  public LedgerReader(DataSource db) {
    this.db = db;
  }

  public DataSource dataSource() {
    return db;
  }

  /** The latest calls, newest first. */
  public List<CallRecord> recent(int limit) throws SQLException {
    List<CallRecord> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT * FROM calls ORDER BY start_ms DESC, id DESC LIMIT ?")) {
      p.setInt(1, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(record(r));
        }
      }
    }
    return out;
  }

  /** Streams the calls that started on days in [from, to), oldest first. */
  public void calls(LocalDate from, LocalDate to, Consumer<CallRecord> each) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT * FROM calls WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms")) {
      // A call's day is the UTC date it started, so a range of days is a range of start_ms, which
      // calls_by_start serves (there is no index on day: see V2).
      p.setFetchSize(1000);
      p.setLong(1, from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(2, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          each.accept(record(r));
        }
      }
    }
  }

  public long count() throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM calls");
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  static CallRecord record(ResultSet r) throws SQLException {
    Usage usage = new Usage(r.getLong("input_tokens"), r.getLong("cached_input_tokens"), r.getLong("cache_write_tokens"),
        r.getLong("output_tokens"), r.getLong("reasoning_tokens"), r.getLong("audio_input_tokens"),
        r.getLong("audio_output_tokens"), r.getLong("cache_write_1h_tokens"));
    CostBreakdown cost = new CostBreakdown(Money.fromPico(r.getLong("cost_input")), Money.fromPico(r.getLong("cost_cached_input")),
        Money.fromPico(r.getLong("cost_cache_write")), Money.fromPico(r.getLong("cost_output")),
        Money.fromPico(r.getLong("cost_reasoning")), Money.fromPico(r.getLong("cost_tools")));
    Attribution attribution = new Attribution(r.getString("team"), blank(r.getString("project")),
        blank(r.getString("end_user")), blank(r.getString("key_name")), json(r.getString("tags"), new TypeReference<>() {}),
        false);
    return new CallRecord(r.getString("id"), Instant.ofEpochMilli(r.getLong("start_ms")), Instant.ofEpochMilli(r.getLong("end_ms")),
        r.getString("api"), r.getString("method"), r.getString("path"), blank(r.getString("upstream")),
        blank(r.getString("requested_model")), blank(r.getString("served_model")), blank(r.getString("requested_tier")),
        blank(r.getString("served_tier")), r.getInt("http_status"), r.getInt("stream") != 0, usage,
        json(r.getString("tool_calls"), new TypeReference<Map<String, Long>>() {}), cost,
        PricingStatus.valueOf(r.getString("status").toUpperCase(Locale.ROOT)), blank(r.getString("price_version")),
        json(r.getString("reasons"), new TypeReference<List<String>>() {}), r.getLong("latency_ms"), r.getLong("ttft_ms"),
        blank(r.getString("error")), attribution, Map.of());
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static <T> T json(String text, TypeReference<T> type) {
    try {
      return LedgerRows.JSON.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
