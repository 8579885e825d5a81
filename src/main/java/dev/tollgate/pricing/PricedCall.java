package dev.tollgate.pricing;

import java.util.List;

/**
 * The outcome of pricing one call.
 *
 * @param status priced, estimated or unpriced
 * @param catalogModel the catalog entry the model resolved to, or null when unpriced
 * @param priceVersion short id of the rule used, e.g. {@code o3@2025-06-10/flex}; null when unpriced
 * @param cost the cost by component; {@link CostBreakdown#ZERO} when unpriced (and flagged so)
 * @param reasons why the status is not {@code priced}, e.g. {@code tier_unpriced:scale}
 */
public record PricedCall(
    PricingStatus status, String catalogModel, String priceVersion, CostBreakdown cost, List<String> reasons) {
  public PricedCall {
    reasons = List.copyOf(reasons);
  }

  public static PricedCall unpriced(String reason) {
    return new PricedCall(PricingStatus.UNPRICED, null, null, CostBreakdown.ZERO, List.of(reason));
  }
}
