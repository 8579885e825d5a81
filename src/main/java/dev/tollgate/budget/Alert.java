package dev.tollgate.budget;

import java.time.Instant;

/**
 * A budget's spend crossed one of its alert thresholds in a period (fired once across replicas).
 *
 * @param threshold percent of the limit, or {@link Budget#FORECAST}
 * @param forecastPico for a forecast alert, the spend forecast at the period's end; else 0
 * @param replica the replica that claimed and sends it
 */
public record Alert(
    Budget budget,
    Period.Window window,
    int threshold,
    long spentPico,
    long forecastPico,
    Instant firedAt,
    String replica) {
  public boolean forecast() {
    return threshold == Budget.FORECAST;
  }
}
