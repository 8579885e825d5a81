package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Reads a rate from a price source, where numbers are hostile: a rate is a JSON number or a numeric
 * string ({@code "0.000004"}), from 0 up to a bound no real price comes near, with a sensible
 * number of decimals. Anything else (NaN, Infinity, a negative, a word, {@code 1e1001}, {@code
 * 1e-30000000}) is {@link Bad}: its model is skipped and named, never priced at $0 or in part.
 * Checked before any arithmetic, so a huge exponent costs nothing (expanding {@code 1e30000000}
 * once took 51 s of CPU).
 */
public final class PriceNumbers {
  /** The most a token may cost, in USD ($1M per 1M tokens; the dearest real rate is ~$600). */
  public static final BigDecimal MAX_PER_TOKEN = BigDecimal.ONE;

  /** Decimal places a rate may have (per token: $2.5e-8 has 9). */
  private static final int MAX_SCALE = 20;

  /** Why a rate cannot be used. */
  public static final class Bad extends Exception {
    Bad(String field, String why) {
      super(field + ": " + why, null, false, false);
    }
  }

  private PriceNumbers() {}

  /**
   * The value of {@code field} in {@code entry}: null when absent (or JSON null), else a checked
   * decimal no larger than {@code max}.
   */
  public static BigDecimal read(JsonNode entry, String field, BigDecimal max) throws Bad {
    JsonNode n = entry == null ? null : entry.get(field);
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    BigDecimal d;
    if (n.isNumber()) {
      if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
        throw new Bad(field, "not a finite number (" + n.asText() + ")");
      }
      d = n.decimalValue();
    } else if (n.isTextual()) {
      String text = n.asText().trim();
      if (text.length() > 40) {
        throw new Bad(field, "not a number ('" + text.substring(0, 40) + "…')");
      }
      try {
        d = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new Bad(field, "not a number ('" + text + "')");
      }
    } else {
      throw new Bad(field, "not a number (" + n.getNodeType().name().toLowerCase() + ")");
    }
    return checked(field, d, max);
  }

  /** {@code d} within [0, max] and at most {@value #MAX_SCALE} decimals, else {@link Bad}. */
  public static BigDecimal checked(String field, BigDecimal d, BigDecimal max) throws Bad {
    if (d.signum() < 0) {
      throw new Bad(field, "negative");
    }
    // precision - scale is the number of digits before the point: compared without expanding.
    if ((long) d.precision() - d.scale() > max.precision() - max.scale() || d.compareTo(max) > 0) {
      throw new Bad(field, "out of range (above " + max.toPlainString() + ")");
    }
    if (d.signum() > 0 && d.stripTrailingZeros().scale() > MAX_SCALE) {
      throw new Bad(field, "too many decimal places (more than " + MAX_SCALE + ")");
    }
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }
}
