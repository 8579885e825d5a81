package dev.tollgate.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * A spend report: its rows (largest spend first) and totals, and the budgets of the teams in it
 * when it is grouped by team.
 */
public record SpendReport(SpendQuery query, List<SpendRow> rows, List<TeamBudget> budgets) {
  public SpendReport {
    rows = List.copyOf(rows);
    budgets = List.copyOf(budgets);
  }

  public SpendReport(SpendQuery query, List<SpendRow> rows) {
    this(query, rows, List.of());
  }

  /** This report with {@code all} the team budgets, kept for the teams it has rows of. */
  public SpendReport withBudgets(List<TeamBudget> all) {
    int team = query.groupBy().indexOf("team");
    if (team < 0) {
      return this;
    }
    java.util.Set<String> teams = new java.util.HashSet<>();
    rows.forEach(r -> teams.add(r.group().get(team)));
    return new SpendReport(
        query, rows, all.stream().filter(b -> teams.contains(b.team())).toList());
  }

  public BigDecimal total() {
    return rows.stream().map(SpendRow::costTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Null when the query asked no what-if. */
  public BigDecimal whatIfTotal() {
    return query.whatIf()
        ? rows.stream().map(SpendRow::whatIfCost).reduce(BigDecimal.ZERO, BigDecimal::add)
        : null;
  }
}
