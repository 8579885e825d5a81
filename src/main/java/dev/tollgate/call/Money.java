package dev.tollgate.call;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * USD as integer pico-dollars where it is stored or summed: exact for every catalog rate (a rate
 * per 1M tokens with up to six decimals is a whole number of pico-dollars per token) and summable
 * in SQL. One pico-dollar is a trillionth of a cent's hundredth: rounding never reaches the cent.
 */
public final class Money {
  private static final int SCALE = 12;

  private Money() {}

  private static final long[] POWERS_OF_TEN = new long[SCALE + 1];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i <= SCALE; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  public static long toPico(BigDecimal usd) {
    // Every component of every call passes here: a zero (most components) or a value of up to 12
    // places (every catalog price) is scaled by long arithmetic, without the rescaled copy and
    // the BigInteger that setScale(...).unscaledValue() make. Overflow throws as before.
    if (usd.signum() == 0) {
      return 0;
    }
    int scale = usd.scale();
    if (scale >= 0 && scale <= SCALE && usd.precision() <= 18) {
      long unscaled = usd.scaleByPowerOfTen(scale).longValueExact();
      return Math.multiplyExact(unscaled, POWERS_OF_TEN[SCALE - scale]);
    }
    return usd.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
  }

  /**
   * {@code a + b}, the same value and scale as {@link BigDecimal#add}, without a new object when
   * one side is {@link BigDecimal#ZERO} itself (most of a call's cost components are).
   */
  public static BigDecimal plus(BigDecimal a, BigDecimal b) {
    if (b == BigDecimal.ZERO && a.scale() >= 0) {
      return a;
    }
    if (a == BigDecimal.ZERO && b.scale() >= 0) {
      return b;
    }
    return a.add(b);
  }

  /**
   * Whether {@code pico} is at least {@code percent} % of {@code ofPico}, exactly: both products
   * can pass a long's range ($4 M in pico-dollars times 1000 %).
   */
  public static boolean atLeastPercent(long pico, int percent, long ofPico) {
    return BigInteger.valueOf(pico)
            .multiply(HUNDRED)
            .compareTo(BigInteger.valueOf(ofPico).multiply(BigInteger.valueOf(percent)))
        >= 0;
  }

  private static final BigInteger HUNDRED = BigInteger.valueOf(100);

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
