package dev.tollgate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * USD counters that stay exact: each label set sums integer pico-dollars, and a scrape reads the
 * sum as the double nearest to the exact decimal, so a dashboard total prints the same digits as
 * the ledger. (Adding doubles call by call would drift.)
 */
final class ExactCounters {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final Map<Tags, LongAdder> sums = new ConcurrentHashMap<>();

  ExactCounters(MeterRegistry registry, String name, String description) {
    this.registry = registry;
    this.name = name;
    this.description = description;
  }

  void add(Tags tags, BigDecimal usd) {
    if (usd.signum() == 0) {
      sums.computeIfAbsent(tags, this::register); // the series exists from the first call
      return;
    }
    sums.computeIfAbsent(tags, this::register).add(usd.movePointRight(12).longValueExact());
  }

  private LongAdder register(Tags tags) {
    LongAdder sum = new LongAdder();
    FunctionCounter.builder(name, sum, s -> BigDecimal.valueOf(s.sum(), 12).doubleValue())
        .description(description)
        .tags(tags)
        .register(registry);
    return sum;
  }
}
