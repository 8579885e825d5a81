package dev.tollgate.budget;

import dev.tollgate.call.Call;
import dev.tollgate.call.Money;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.time.Instant;
import java.util.function.Supplier;

/** A call's worst case, what its budgets reserve before it goes upstream. */
final class WorstCase {
  /** About $4.6M: larger than any budget's limit (BudgetDefinitions), so it never fits one. */
  private static final long MAX_WORST_CASE_PICO = Long.MAX_VALUE / 2;

  /** No model reads or writes more in one call; caps keep every estimate far inside a long. */
  private static final long MAX_TOKENS = 20_000_000;

  private final BudgetsConfig config;
  private final Supplier<PriceCatalog> catalog;
  // Estimates must not use up the per-day free quota of tools that real calls are priced with.
  private final Pricer pricer = new Pricer(new ToolQuota());

  WorstCase(BudgetsConfig config, Supplier<PriceCatalog> catalog) {
    this.config = config;
    this.catalog = catalog;
  }

  /** The most tokens it can use, input and output (for token rate limits). */
  long tokens(BudgetGate.Ask ask) {
    return inputTokens(ask) + outputTokens(ask);
  }

  private static long inputTokens(BudgetGate.Ask ask) {
    return Math.min((ask.bodyBytes() + 2) / 3, MAX_TOKENS);
  }

  private long outputTokens(BudgetGate.Ask ask) {
    long output =
        ask.maxOutputTokens() > 0 ? ask.maxOutputTokens() : config.defaultMaxOutputTokens();
    return Math.min(output, MAX_TOKENS); // a hostile max_tokens must not overflow the sum
  }

  /**
   * The most this call can cost, in pico-dollars, or -1 when its model has no price. Input: the
   * body's bytes / 3 tokens (JSON and English run nearer 4 bytes a token; CJK text near 3); output:
   * what the request caps it at, else {@code budgets.default_max_output_tokens}; all at the
   * catalog's uncached rates for the tier asked.
   */
  long of(BudgetGate.Ask ask, Instant now) {
    long input = inputTokens(ask);
    long output = outputTokens(ask);
    Call.Charge charge =
        pricer.estimate(
            catalog.get(),
            ask.model(),
            ServiceTier.of(ask.tier()),
            new Usage(input, 0, 0, output, 0, 0, 0),
            now);
    if (charge.status() == PricingStatus.UNPRICED) {
      return -1;
    }
    // A worst case beyond what a long holds is no different from one just inside it: it cannot
    // fit any budget (a throw here, on an event loop, used to drop the connection unanswered).
    return Money.toPicoSaturated(charge.cost().total(), MAX_WORST_CASE_PICO);
  }
}
