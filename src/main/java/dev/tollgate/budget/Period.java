package dev.tollgate.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * When a budget's spend starts again from zero: each calendar day, week (from Monday) or month in a
 * time zone, or one fixed range of dates.
 *
 * @param kind day, week, month or range
 * @param zone the zone calendar periods follow (UTC unless configured)
 * @param from a range's first day, else null
 * @param to the day after a range's last, else null
 */
public record Period(String kind, ZoneId zone, LocalDate from, LocalDate to) {
  /** One period: {@code [start, end)}. */
  public record Window(Instant start, Instant end) {
    public boolean contains(Instant t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }

  public static Period calendar(String kind, ZoneId zone) {
    if (!kind.equals("day") && !kind.equals("week") && !kind.equals("month")) {
      throw new IllegalArgumentException(
          "period must be day, week or month (or give from and to), got '" + kind + "'");
    }
    return new Period(kind, zone, null, null);
  }

  public static Period range(LocalDate from, LocalDate to, ZoneId zone) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to, got " + from + " and " + to);
    }
    return new Period("range", zone, from, to);
  }

  /** The period holding {@code now} (for a range: the range, even before or after it). */
  public Window window(Instant now) {
    ZonedDateTime t = now.atZone(zone);
    LocalDate start =
        switch (kind) {
          case "day" -> t.toLocalDate();
          case "week" -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
          case "month" -> t.toLocalDate().withDayOfMonth(1);
          default -> from;
        };
    LocalDate end =
        switch (kind) {
          case "day" -> start.plusDays(1);
          case "week" -> start.plusWeeks(1);
          case "month" -> start.plusMonths(1);
          default -> to;
        };
    return new Window(start.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant());
  }

  @Override
  public String toString() {
    String z = zone.getId().equals("UTC") || zone.getId().equals("Z") ? "" : " " + zone.getId();
    return (kind.equals("range") ? from + ".." + to : kind) + z;
  }
}
