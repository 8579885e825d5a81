package dev.tollgate.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * One group of a spend report. Token kinds are disjoint (input excludes cached input and cache
 * writes, output excludes reasoning); {@code cost} components add up to {@code costTotal}.
 *
 * @param group the group's values, in the query's group-by order (null for "none")
 * @param whatIfCost the same calls repriced, or null when no what-if was asked
 * @param whatIfUnpriced calls the what-if price could not price
 */
public record SpendRow(
    List<String> group,
    long requests,
    long unpricedRequests,
    long estimatedRequests,
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    long reasoningTokens,
    List<BigDecimal> costComponents,
    BigDecimal costTotal,
    BigDecimal whatIfCost,
    long whatIfUnpriced) {

  public static final List<String> COMPONENTS = List.of("input", "cached_input", "cache_write", "output", "reasoning", "tools");

  public SpendRow {
    group = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(group)); // nulls allowed
    costComponents = List.copyOf(costComponents);
  }
}
