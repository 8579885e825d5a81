package dev.tollgate.call;

import java.time.LocalDate;

/**
 * The UTC day of an instant as {@code YYYY-MM-DD}, and its hour as {@code YYYY-MM-DDTHH:00Z}, the
 * last one of each kept: nearly every call of a run falls in the same hour as the call before it,
 * and the ledger writer asks a call's day for the daily totals and for each rollup, so formatting
 * it each time was a {@code LocalDate}, a builder and a string per ask (2 % of the bytes allocated
 * per call at saturation, by JFR's allocation samples).
 */
final class DayLabels {
  private record Day(long epochDay, String label) {}

  private record Hour(long epochHour, String label) {}

  // One immutable pair published through a volatile: a stale read only formats the day again.
  private static volatile Day last = new Day(0, "1970-01-01");
  private static volatile Hour lastHour = new Hour(0, "1970-01-01T00:00Z");

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

  static String hour(long epochSecond) {
    long epochHour = Math.floorDiv(epochSecond, 3_600);
    Hour h = lastHour;
    if (h.epochHour() != epochHour) {
      int hourOfDay = (int) Math.floorMod(epochHour, 24);
      String label = of(epochSecond) + (hourOfDay < 10 ? "T0" : "T") + hourOfDay + ":00Z";
      h = new Hour(epochHour, label);
      lastHour = h;
    }
    return h.label();
  }
}
