package dev.tollgate.cli;

import dev.tollgate.report.SpendQuery;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** {@code --from} / {@code --to}: UTC days, {@code to} exclusive; the current month by default. */
final class DayRange {
  @Option(
      names = "--from",
      paramLabel = "YYYY-MM-DD",
      description = "First day, UTC (default: first of this month).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "YYYY-MM-DD",
      description = "Day after the last, UTC (default: first of next month).")
  String to;

  String fromOrMonth() {
    return from != null ? from : month().toString();
  }

  String toOrMonthEnd() {
    return to != null ? to : month().plusMonths(1).toString();
  }

  private static LocalDate month() {
    return SpendQuery.thisMonth();
  }
}
