package dev.tollgate.report;

import dev.tollgate.budget.BudgetBook;
import dev.tollgate.call.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A team's budget, shown beside the team's spend in a report: the budget's own period and spend,
 * which need not be the report's range.
 */
public record TeamBudget(
    String team, String budget, String period, BigDecimal limit, BigDecimal spent, Instant resets) {

  /** The team budgets among {@code statuses} (budgets on other scopes are not a team's). */
  public static List<TeamBudget> of(List<BudgetBook.Status> statuses) {
    List<TeamBudget> out = new ArrayList<>();
    for (BudgetBook.Status st : statuses) {
      if (st.budget().scope().kind().equals("team")) {
        out.add(
            new TeamBudget(
                st.budget().scope().value(),
                st.budget().name(),
                st.budget().period().toString(),
                Money.fromPico(st.budget().limitPico()),
                Money.fromPico(st.spentPico()),
                st.window().end()));
      }
    }
    return out;
  }
}
