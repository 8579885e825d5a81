package dev.tollgate.metrics;

import java.math.BigDecimal;

/**
 * A running USD total that is exact and cannot overflow: whole dollars and the pico-dollars below
 * one dollar, kept apart. (A single long of pico-dollars would wrap at $9.2M, which one busy series
 * reaches in months.) Adds come from the metering, estimator and admin threads.
 */
final class UsdSum {
  private static final long PICOS_PER_DOLLAR = 1_000_000_000_000L;

  private long dollars;
  private long picos; // always in [0, PICOS_PER_DOLLAR)

  /** Adds a non-negative amount in pico-dollars. */
  synchronized void add(long pico) {
    dollars += pico / PICOS_PER_DOLLAR;
    picos += pico % PICOS_PER_DOLLAR;
    if (picos >= PICOS_PER_DOLLAR) {
      dollars++;
      picos -= PICOS_PER_DOLLAR;
    }
  }

  synchronized BigDecimal usd() {
    return BigDecimal.valueOf(dollars).add(BigDecimal.valueOf(picos, 12));
  }
}
