package dev.tollgate.call;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD as integer pico-dollars where it is stored or summed: exact for every catalog rate (a rate
 * per 1M tokens with up to six decimals is a whole number of pico-dollars per token) and summable
 * in SQL. One pico-dollar is a trillionth of a cent's hundredth: rounding never reaches the cent.
 */
public final class Money {
  private static final int SCALE = 12;

  private Money() {}

  public static long toPico(BigDecimal usd) {
    return usd.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
  }

  /** As {@link #toPico}, but a sum past {@code max} is {@code max} (never an exception). */
  public static long toPicoSaturated(BigDecimal usd, long max) {
    // Compared before scaling: precision - scale is the number of digits before the point.
    if ((long) usd.precision() - usd.scale() > 19 - SCALE || usd.compareTo(fromPico(max)) >= 0) {
      return usd.signum() < 0 ? -max : max;
    }
    return Math.max(-max, toPico(usd));
  }

  public static BigDecimal fromPico(long pico) {
    return BigDecimal.valueOf(pico, SCALE);
  }

  /** A decimal string without exponent or trailing zeros, e.g. {@code 0.006464}. */
  public static String format(BigDecimal usd) {
    BigDecimal s = usd.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
