package dev.tollgate.report;

import dev.tollgate.call.Tally;
import java.math.BigDecimal;
import java.util.List;

/**
 * One group of a spend report: its sums (token kinds disjoint, cost components adding up to the
 * total), and the what-if price where one was asked.
 *
 * @param group the group's values, in the query's group-by order (null for "none")
 * @param whatIfCost the same calls repriced, or null when no what-if was asked
 * @param whatIfUnpriced calls the what-if price could not price
 */
public record SpendRow(
    List<String> group, Tally tally, BigDecimal whatIfCost, long whatIfUnpriced) {

  public SpendRow {
    group =
        java.util.Collections.unmodifiableList(new java.util.ArrayList<>(group)); // nulls allowed
    java.util.Objects.requireNonNull(tally, "tally");
  }

  public long requests() {
    return tally.requests();
  }

  public BigDecimal costTotal() {
    return tally.total();
  }
}
