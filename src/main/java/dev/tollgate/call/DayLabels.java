package dev.tollgate.call;

import java.time.LocalDate;

/**
 * The UTC day of an instant as {@code YYYY-MM-DD}, the last one kept: nearly every call of a run
 * falls on the day before it, and the ledger writer asks a call's day six times (the daily totals
 * and each rollup), so formatting it each time was a {@code LocalDate}, a builder and a string per
 * ask (2 % of the bytes allocated per call at saturation, by JFR's allocation samples).
 */
final class DayLabels {
  private record Day(long epochDay, String label) {}

  // One immutable pair published through a volatile: a stale read only formats the day again.
  private static volatile Day last = new Day(0, "1970-01-01");

  private DayLabels() {}

  static String of(long epochSecond) {
    long epochDay = Math.floorDiv(epochSecond, 86_400);
    Day d = last;
    if (d.epochDay() != epochDay) {
      d = new Day(epochDay, LocalDate.ofEpochDay(epochDay).toString());
      last = d;
    }
    return d.label();
  }
}
