package dev.tollgate.metrics;

import dev.tollgate.call.Money;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * USD counters that stay exact: each label set sums integer pico-dollars, and a scrape reads the
 * sum as the double nearest to the exact decimal, so a dashboard total prints the same digits as
 * the ledger. (Adding doubles call by call would drift.)
 */
final class ExactCounters {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final Map<Tags, Map<String, UsdSum>> sums = new ConcurrentHashMap<>();

  ExactCounters(MeterRegistry registry, String name, String description) {
    this.registry = registry;
    this.name = name;
    this.description = description;
  }

  /**
   * Adds {@code usd} to the series {@code tags} + {@code label=value}. The series exists from the
   * first call even when that adds zero. Lookups are by the shared tags and the one varying label,
   * so a call costs two small map reads, not a meter registration.
   */
  void add(Tags tags, String label, String value, BigDecimal usd) {
    add(series(tags, label, value), usd);
  }

  /**
   * The series {@code tags} + {@code label=value}, registered on first use; hold it to skip the
   * lookups.
   */
  UsdSum series(Tags tags, String label, String value) {
    return sums.computeIfAbsent(tags, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(value, v -> register(tags.and(label, v)));
  }

  static void add(UsdSum series, BigDecimal usd) {
    add(series, Money.toPico(usd)); // the ledger's conversion, so /metrics and the ledger agree
  }

  /** Adds pico-dollars the ledger's way already converted ({@code Cost#pico}). */
  static void add(UsdSum series, long pico) {
    if (pico != 0) {
      series.add(pico);
    }
  }

  private UsdSum register(Tags tags) {
    UsdSum sum = new UsdSum();
    FunctionCounter.builder(name, sum, s -> s.usd().doubleValue())
        .description(description)
        .tags(tags)
        .register(registry);
    return sum;
  }
}
