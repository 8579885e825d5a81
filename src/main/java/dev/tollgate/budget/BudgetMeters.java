package dev.tollgate.budget;

import dev.tollgate.call.Money;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * {@code tollgate_budget_*}: limit, spent and reserved per budget, refusals and alerts. The {@code
 * budget} label is bounded by what the operator defines; a budget's meters appear at the first sync
 * that knows it.
 */
public final class BudgetMeters implements MeterBinder {
  private final BudgetGate gate;
  private final BudgetSync sync;
  private final Set<String> registered = new HashSet<>();
  private MeterRegistry registry;

  public BudgetMeters(BudgetGate gate, BudgetSync sync) {
    this.gate = gate;
    this.sync = sync;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("tollgate_budget_open_reservations", gate, BudgetGate::openHolds)
        .description("Calls holding a budget reservation now")
        .register(registry);
    FunctionCounter.builder("tollgate_rate_limited_total", gate, BudgetGate::rateLimited)
        .description("Calls refused with 429 rate_limit_exceeded (requests or tokens per minute)")
        .register(registry);
    FunctionCounter.builder("tollgate_budget_share_topups_total", sync, BudgetSync::topUps)
        .description(
            "Times this replica asked the database for more of a budget's share for calls waiting"
                + " on it (one round trip each, however many calls waited)")
        .register(registry);
    String[] outcomes = {"delivered", "failed_attempt", "undelivered"};
    for (int i = 0; i < outcomes.length; i++) {
      int at = i;
      FunctionCounter.builder(
              "tollgate_budget_alert_deliveries_total", sync.alerts(), a -> a.deliveries()[at])
          .description(
              "Webhook deliveries of budget alerts: delivered, attempts that failed (retried with"
                  + " backoff), alerts given up on after budgets.webhook_retries")
          .tag("outcome", outcomes[i])
          .register(registry);
    }
    refresh();
    sync.onSynced(this::refresh);
  }

  /** Registers the meters of budgets that appeared since the last call. */
  synchronized void refresh() {
    if (registry == null) {
      return;
    }
    for (BudgetBook.Status st : gate.book().status(Instant.now())) {
      String name = st.budget().name();
      if (!registered.add(name)) {
        continue;
      }
      usd("tollgate_budget_limit_usd", name, "The budget's limit", s -> s.budget().limitPico());
      usd("tollgate_budget_spent_usd", name, "Spent this period", BudgetBook.Status::spentPico);
      usd(
          "tollgate_budget_reserved_usd",
          name,
          "Reserved by calls in flight (all replicas)",
          BudgetBook.Status::reservedPico);
      FunctionCounter.builder(
              "tollgate_budget_rejections_total",
              gate.rejections().computeIfAbsent(name, n -> new AtomicLong()),
              AtomicLong::doubleValue)
          .description("Calls refused with 429 budget_exceeded")
          .tag("budget", name)
          .register(registry);
      FunctionCounter.builder(
              "tollgate_budget_alerts_total",
              sync.alerts().fired().computeIfAbsent(name, n -> new AtomicLong()),
              AtomicLong::doubleValue)
          .description("Alert thresholds crossed (fired by this replica)")
          .tag("budget", name)
          .register(registry);
    }
  }

  private void usd(
      String metric, String budget, String help, ToLongFunction<BudgetBook.Status> value) {
    Gauge.builder(metric, gate, g -> dollars(g, budget, value))
        .description(help)
        .baseUnit("usd")
        .tag("budget", budget)
        .register(registry);
  }

  /** NaN once the budget is gone, which Prometheus drops. */
  private static double dollars(
      BudgetGate gate, String budget, ToLongFunction<BudgetBook.Status> value) {
    for (BudgetBook.Status st : gate.book().status(Instant.now())) {
      if (st.budget().name().equals(budget)) {
        return Money.fromPico(value.applyAsLong(st)).doubleValue();
      }
    }
    return Double.NaN;
  }
}
