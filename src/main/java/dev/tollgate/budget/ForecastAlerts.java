package dev.tollgate.budget;

import dev.tollgate.call.Money;
import dev.tollgate.ledger.BudgetLedger;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The "forecast crosses the limit" alert ({@code alerts: [forecast]}): a budget whose spend at the
 * end of its period, at the recent run-rate ({@link RunRate}), passes its limit. The run-rate reads
 * the ledger, so each budget is checked at most once per {@link #EVERY}, not on every sync round.
 * Runs on the budget sync thread only.
 */
final class ForecastAlerts {
  static final Duration EVERY = Duration.ofMinutes(1);

  private final BudgetLedger ledger;
  private final Map<String, Instant> checked = new HashMap<>();

  ForecastAlerts(BudgetLedger ledger) {
    this.ledger = ledger;
  }

  /** The forecast in pico-dollars when it crosses the limit now, else empty. */
  OptionalLong crossing(BudgetBook.Status st, Instant now) throws SQLException {
    Budget b = st.budget();
    Instant last = checked.get(b.name());
    if (last != null && now.isBefore(last.plus(EVERY))) {
      return OptionalLong.empty();
    }
    checked.put(b.name(), now);
    if (checked.size() > 10_000) {
      checked.clear(); // deleted budgets' names; at worst one extra check each
    }
    Instant from = RunRate.basisFrom(now).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = RunRate.basisTo(now).atStartOfDay(ZoneOffset.UTC).toInstant();
    BigDecimal rate =
        RunRate.daily(
            Money.fromPico(
                ledger.spent(b.scope().kind(), b.scope().tag(), b.scope().value(), from, to)));
    BigDecimal forecast =
        RunRate.forecast(Money.fromPico(st.spentPico()), rate, now, st.window().end());
    long pico = Money.toPicoSaturated(forecast, Long.MAX_VALUE / 2);
    return pico > b.limitPico() ? OptionalLong.of(pico) : OptionalLong.empty();
  }
}
