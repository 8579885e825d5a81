package dev.tollgate.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The recent daily run-rate, the one forecast rule: what was spent in the last {@value #BASIS_DAYS}
 * complete UTC days (days with no calls count as $0), divided by {@value #BASIS_DAYS}, carried over
 * what is left of a period on top of what is spent already. The console, {@code /admin/forecast},
 * {@code report --forecast} and the budgets' "forecast crosses the limit" alert all use it.
 */
public final class RunRate {
  public static final int BASIS_DAYS = 7;
  private static final BigDecimal SECONDS_A_DAY = BigDecimal.valueOf(86_400);

  private RunRate() {}

  /** The first day of the basis: {@value #BASIS_DAYS} days before today (UTC). */
  public static LocalDate basisFrom(Instant now) {
    return basisTo(now).minusDays(BASIS_DAYS);
  }

  /** The day after the basis's last: today (UTC), whose spend is not complete yet. */
  public static LocalDate basisTo(Instant now) {
    return now.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** USD a day, from the basis's spend. */
  public static BigDecimal daily(BigDecimal basisSpend) {
    return basisSpend.divide(BigDecimal.valueOf(BASIS_DAYS), 12, RoundingMode.HALF_EVEN);
  }

  /** What will have been spent at {@code end}: spent + rate × the days left (none once past). */
  public static BigDecimal forecast(
      BigDecimal spent, BigDecimal dailyRate, Instant now, Instant end) {
    Duration left = Duration.between(now, end);
    BigDecimal days =
        left.isNegative()
            ? BigDecimal.ZERO
            : BigDecimal.valueOf(left.toSeconds())
                .divide(SECONDS_A_DAY, 12, RoundingMode.HALF_EVEN);
    return spent.add(dailyRate.multiply(days));
  }
}
