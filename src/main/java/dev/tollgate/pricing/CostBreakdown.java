package dev.tollgate.pricing;

import java.math.BigDecimal;

/**
 * What a call cost, in USD, by component. The components partition the bill: input is uncached
 * input only, output is visible output only (reasoning is its own component), so they add up to
 * {@link #total()} exactly.
 */
public record CostBreakdown(
    BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output, BigDecimal reasoning, BigDecimal tools) {

  public static final CostBreakdown ZERO =
      new CostBreakdown(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  public BigDecimal total() {
    return input.add(cachedInput).add(cacheWrite).add(output).add(reasoning).add(tools);
  }

  /** A decimal string without exponent or trailing zeros, e.g. {@code 0.006464}. */
  public static String format(BigDecimal usd) {
    BigDecimal s = usd.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
