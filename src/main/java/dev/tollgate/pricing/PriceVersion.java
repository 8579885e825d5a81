package dev.tollgate.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prices of one model from {@code from} (inclusive, UTC) until the next version.
 *
 * @param from first day these prices apply
 * @param rates standard (default-tier) rates
 * @param tiers rates by service tier ({@code flex}, {@code priority}, {@code batch}, ...)
 * @param longContext higher rates for the whole call when its input exceeds a threshold
 * @param windows time-of-day discounts or surcharges (UTC)
 * @param tools per-call fees by tool kind ({@code web_search}, {@code file_search}, ...)
 * @param since the exact moment the version begins: the start of {@code from} (UTC) unless the
 *     catalog gives an instant
 * @param unconfirmed the prices could not be checked against the provider's own page: calls priced
 *     by them are {@code estimated}, with reason {@code price_unconfirmed}
 */
public record PriceVersion(
    LocalDate from,
    Rates rates,
    Map<String, Rates> tiers,
    Optional<LongContext> longContext,
    List<Window> windows,
    Map<String, ToolFee> tools,
    boolean unconfirmed,
    Instant since) {

  public PriceVersion {
    tiers = Map.copyOf(tiers);
    windows = List.copyOf(windows);
    tools = Map.copyOf(tools);
    since = since != null ? since : from.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * How the version is named in a price version id: its date, or the exact instant when it began
   * during a day (a synced price that changed at the moment it was seen).
   */
  public String label() {
    // Asked twice per priced call (budget worst case, then the price): compared as numbers and a
    // day's label made once, as a date-time and a new string per ask were measurable garbage.
    if (since.getNano() != 0 || since.getEpochSecond() != from.toEpochDay() * 86_400) {
      return since.toString();
    }
    String label = DAY_LABELS.get(from);
    if (label == null) {
      label = from.toString();
      if (DAY_LABELS.size() < 10_000) { // catalog dates: a few hundred at most
        DAY_LABELS.put(from, label);
      }
    }
    return label;
  }

  private static final Map<LocalDate, String> DAY_LABELS = new ConcurrentHashMap<>();

  /**
   * Above {@code threshold} input tokens, input-side rates × inputFactor and output-side ×
   * outputFactor.
   */
  public record LongContext(long threshold, BigDecimal inputFactor, BigDecimal outputFactor) {}

  /**
   * A daily UTC window [start, end) in which every rate is multiplied; may wrap midnight.
   *
   * @param name shown in the price version id, e.g. {@code off_peak}
   */
  public record Window(String name, LocalTime start, LocalTime end, BigDecimal multiplier) {
    public boolean contains(LocalTime t) {
      return start.isBefore(end)
          ? !t.isBefore(start) && t.isBefore(end)
          : !t.isBefore(start) || t.isBefore(end);
    }
  }

  /** A fee per 1,000 calls of a built-in tool, after an optional free quota per UTC day. */
  public record ToolFee(BigDecimal per1kCalls, long freePerDay) {}
}
