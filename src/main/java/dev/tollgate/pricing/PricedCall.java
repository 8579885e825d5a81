package dev.tollgate.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The outcome of pricing one call.
 *
 * @param status priced, estimated or unpriced
 * @param catalogModel the catalog entry the model resolved to, or null when unpriced
 * @param priceVersion short id of the rule used, e.g. {@code o3@2025-06-10/flex}; null when unpriced
 * @param cost the cost by component; {@link CostBreakdown#ZERO} when unpriced (and flagged so)
 * @param reasons why the status is not {@code priced}, e.g. {@code tier_unpriced:scale}
 * @param savings what the call did not cost, by source: {@code cache} (cached input at its
 *     rate instead of the input rate) and the tier name (flex, batch: tier rates instead of default)
 */
public record PricedCall(
    PricingStatus status,
    String catalogModel,
    String priceVersion,
    CostBreakdown cost,
    List<String> reasons,
    Map<String, BigDecimal> savings) {
  public PricedCall {
    reasons = List.copyOf(reasons);
    savings = Map.copyOf(savings);
  }

  public PricedCall(PricingStatus status, String catalogModel, String priceVersion, CostBreakdown cost, List<String> reasons) {
    this(status, catalogModel, priceVersion, cost, reasons, Map.of());
  }

  public static PricedCall unpriced(String reason) {
    return new PricedCall(PricingStatus.UNPRICED, null, null, CostBreakdown.ZERO, List.of(reason));
  }
}
