package dev.tollgate.budget;

import dev.tollgate.call.Money;
import java.util.List;

/**
 * One budget.
 *
 * @param name unique; names it in status, metrics, alerts and 429 messages
 * @param scope whose calls count
 * @param limitPico the limit in pico-dollars
 * @param period when spend starts again from zero
 * @param hard a hard budget refuses calls that would pass it; a soft one only alerts
 * @param alerts percentages of the limit at which to alert, once per period each; {@link #FORECAST}
 *     (written {@code forecast}) alerts once when the forecast at the period's end crosses the
 *     limit
 * @param fromFile defined in budgets.yaml (read-only through the admin API), else through the API
 */
public record Budget(
    String name,
    Scope scope,
    long limitPico,
    Period period,
    boolean hard,
    List<Integer> alerts,
    boolean fromFile) {
  /** The alert "forecast crosses the limit", kept among the percentages as 0. */
  public static final int FORECAST = 0;

  public Budget {
    alerts = List.copyOf(alerts);
  }

  /**
   * Whether {@code spentPico} is at least {@code percent} % of the limit, exactly: in longs, a
   * limit past $184,467 times 50 % passes a long's range (limits go to $4 M and alerts to 1000 %),
   * and the overflowed product fired every alert of such a budget at $0 spent.
   */
  public boolean reached(long spentPico, int percent) {
    return Money.atLeastPercent(spentPico, percent, limitPico);
  }
}
