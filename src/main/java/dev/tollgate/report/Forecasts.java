package dev.tollgate.report;

import dev.tollgate.budget.Budget;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.RunRate;
import dev.tollgate.call.Money;
import dev.tollgate.call.Tally;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Month-end spend forecasts from the recent daily run-rate: what was spent in the last {@value
 * #BASIS_DAYS} complete UTC days (whichever month they fall in; days with no calls count as $0),
 * divided by {@value #BASIS_DAYS}, carried over what is left of the month (or of a budget's period)
 * on top of what is spent already. Simple on purpose: the basis is shown with every forecast, so
 * anyone can redo the sum.
 */
public final class Forecasts {
  public static final int BASIS_DAYS = RunRate.BASIS_DAYS;

  /** Spend by budget scope over a time range, in pico-dollars (the ledger's). */
  @FunctionalInterface
  public interface ScopeSpend {
    long pico(Budget budget, Instant from, Instant to) throws SQLException;
  }

  /** One forecast line: a team, the total, or a budget over its own period. */
  public record Line(
      String name,
      BigDecimal spent,
      BigDecimal dailyRate,
      BigDecimal forecast,
      BigDecimal limit,
      Instant ends) {
    /** For a budget: the forecast passes the limit before the period ends. */
    public boolean crosses() {
      return limit != null && forecast.compareTo(limit) > 0;
    }
  }

  /**
   * @param basisFrom first day of the run-rate basis
   * @param basisTo the day after its last
   */
  public record Forecast(
      Instant asOf,
      LocalDate month,
      LocalDate basisFrom,
      LocalDate basisTo,
      Line total,
      List<Line> teams,
      List<Line> budgets) {}

  private final SpendReports reports;
  private final ScopeSpend scopes;

  public Forecasts(SpendReports reports, ScopeSpend scopes) {
    this.reports = reports;
    this.scopes = scopes;
  }

  /**
   * @param team only this team (a viewer's), or null for every team
   * @param budgets the budgets to forecast over their own periods
   */
  public Forecast of(Instant now, String team, List<BudgetBook.Status> budgets)
      throws SQLException {
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate month = today.withDayOfMonth(1);
    LocalDate basisTo = RunRate.basisTo(now);
    LocalDate basisFrom = RunRate.basisFrom(now);
    Instant monthEnd = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    Map<String, Tally> spent = byTeam(month, today.plusDays(1), team);
    Map<String, Tally> basis = byTeam(basisFrom, basisTo, team);
    List<Line> teams = new ArrayList<>();
    BigDecimal totalSpent = BigDecimal.ZERO;
    BigDecimal totalRate = BigDecimal.ZERO;
    java.util.Set<String> names = new java.util.TreeSet<>(spent.keySet());
    names.addAll(basis.keySet());
    for (String name : names) {
      BigDecimal s = total(spent.get(name));
      BigDecimal rate = RunRate.daily(total(basis.get(name)));
      teams.add(new Line(name, s, rate, RunRate.forecast(s, rate, now, monthEnd), null, monthEnd));
      totalSpent = totalSpent.add(s);
      totalRate = totalRate.add(rate);
    }
    Line total =
        new Line(
            team == null ? "total" : team,
            totalSpent,
            totalRate,
            RunRate.forecast(totalSpent, totalRate, now, monthEnd),
            null,
            monthEnd);

    Instant basisStart = basisFrom.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant basisEnd = basisTo.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<Line> budgetLines = new ArrayList<>();
    for (BudgetBook.Status st : budgets) {
      Budget b = st.budget();
      BigDecimal s = Money.fromPico(st.spentPico());
      BigDecimal rate = RunRate.daily(Money.fromPico(scopes.pico(b, basisStart, basisEnd)));
      budgetLines.add(
          new Line(
              b.name(),
              s,
              rate,
              RunRate.forecast(s, rate, now, st.window().end()),
              Money.fromPico(b.limitPico()),
              st.window().end()));
    }
    return new Forecast(
        now,
        month,
        basisFrom,
        basisTo,
        round(total),
        teams.stream().map(Forecasts::round).toList(),
        budgetLines.stream().map(Forecasts::round).toList());
  }

  private Map<String, Tally> byTeam(LocalDate from, LocalDate to, String team) throws SQLException {
    SpendQuery q = SpendQuery.parse(from.toString(), to.toString(), "team", null);
    if (team != null) {
      q = q.where("team", team);
    }
    Map<String, Tally> out = new java.util.LinkedHashMap<>();
    for (SpendRow r : reports.run(q).rows()) {
      out.put(r.group().get(0), r.tally());
    }
    return out;
  }

  private static BigDecimal total(Tally t) {
    return t == null ? BigDecimal.ZERO : t.total();
  }

  /** Forecasts to the pico-dollar, as every amount (spend itself is exact already). */
  private static Line round(Line l) {
    return new Line(
        l.name(),
        l.spent(),
        l.dailyRate(),
        l.forecast().setScale(12, RoundingMode.HALF_EVEN).stripTrailingZeros(),
        l.limit(),
        l.ends());
  }
}
