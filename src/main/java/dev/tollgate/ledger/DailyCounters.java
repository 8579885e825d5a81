package dev.tollgate.ledger;

import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PricingStatus;
import java.util.List;

/**
 * The counters a call adds to its group: the {@code daily_spend} columns, in order. The ledger
 * writer sums them per day; reports sum the same columns in SQL, or the same values from raw rows.
 * Token kinds are disjoint and money is in pico-dollars, as everywhere in the ledger.
 */
public final class DailyCounters {
  public static final List<String> COLUMNS = List.of("requests", "unpriced_requests", "estimated_requests",
      "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens",
      "cost_input", "cost_cached_input", "cost_cache_write", "cost_output", "cost_reasoning", "cost_tools", "cost_total");
  /** Where the cost components start in {@link #COLUMNS}: input, cached_input, cache_write, output, reasoning, tools. */
  public static final int FIRST_COST = 8;
  public static final int COST_COMPONENTS = 6;

  private DailyCounters() {}

  public static long[] empty() {
    return new long[COLUMNS.size()];
  }

  /** Adds one call's counters into {@code totals}. */
  public static void add(long[] totals, CallRecord c) {
    Usage u = c.usage();
    CostBreakdown cost = c.cost();
    long[] add = {1, c.status() == PricingStatus.UNPRICED ? 1 : 0, c.status() == PricingStatus.ESTIMATED ? 1 : 0,
        u.uncachedInput(), u.cachedInput(), u.cacheWrite(), u.visibleOutput(), u.reasoning(),
        Money.toPico(cost.input()), Money.toPico(cost.cachedInput()), Money.toPico(cost.cacheWrite()),
        Money.toPico(cost.output()), Money.toPico(cost.reasoning()), Money.toPico(cost.tools()), Money.toPico(cost.total())};
    for (int k = 0; k < add.length; k++) {
      totals[k] += add[k];
    }
  }
}
