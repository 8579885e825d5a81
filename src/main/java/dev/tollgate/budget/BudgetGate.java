package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Call;
import dev.tollgate.call.Money;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.metering.CallListener;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a call meets the budgets: before it goes upstream its worst-case cost is reserved on every
 * budget it counts against (or it is refused), and when it has been priced the reservation becomes
 * its real cost. A call that never reaches pricing gives its reservation back when the hold times
 * out, so nothing leaks.
 */
public final class BudgetGate implements CallListener {
  /**
   * Admitted, or refused: by a budget ({@code rateUnit} null), or by a rate limit on {@code
   * rateUnit} (requests or tokens), with the OpenAI-style headers that go with it.
   */
  public record Verdict(String refusal, String rateUnit, Map<String, String> headers) {
    public static final Verdict ADMITTED = new Verdict(null, null, Map.of());

    public boolean admitted() {
      return refusal == null;
    }

    static Verdict rate(RateLimiter.Refusal r) {
      String unit = r.unit();
      return new Verdict(
          r.message(),
          unit,
          Map.of(
              "retry-after",
              Long.toString(Math.max(1, (r.resetNanos() + 999_999_999) / 1_000_000_000)),
              "x-ratelimit-limit-" + unit,
              Long.toString(r.limit()),
              "x-ratelimit-remaining-" + unit,
              Long.toString(r.remaining()),
              "x-ratelimit-reset-" + unit,
              RateLimiter.duration(r.resetNanos())));
    }
  }

  /** What the request asked for, as far as the reservation needs it. */
  public record Ask(
      String callId,
      Attribution who,
      String model,
      String tier,
      long bodyBytes,
      long maxOutputTokens) {}

  /** About $4.6M: larger than any budget's limit (BudgetDefinitions), so it never fits one. */
  private static final long MAX_WORST_CASE_PICO = Long.MAX_VALUE / 2;

  /** No model reads or writes more in one call; caps keep every estimate far inside a long. */
  private static final long MAX_TOKENS = 20_000_000;

  private record Held(BudgetBook.Hold hold, long sinceNanos) {}

  private final BudgetBook book;
  private final BudgetsConfig config;
  private final Supplier<PriceCatalog> catalog;
  private final LongSupplier ledgerStamp;
  private final Clock clock;
  // Estimates must not use up the per-day free quota of tools that real calls are priced with.
  private final Pricer pricer = new Pricer(new ToolQuota());
  private final Map<String, Held> holds = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rejections = new ConcurrentHashMap<>();
  private final AtomicLong rateLimited = new AtomicLong();
  private final RateLimiter rates;

  /**
   * @param ledgerStamp how many calls the ledger writer has accepted so far (read after this call
   *     was offered to it)
   */
  public BudgetGate(
      BudgetBook book,
      BudgetsConfig config,
      Supplier<PriceCatalog> catalog,
      LongSupplier ledgerStamp,
      Clock clock) {
    this.book = book;
    this.config = config;
    this.catalog = catalog;
    this.ledgerStamp = ledgerStamp;
    this.clock = clock;
    this.rates = new RateLimiter(config.rateLimits());
  }

  public BudgetBook book() {
    return book;
  }

  /** Event loop: a few adds under one short lock, and an estimate only when a budget applies. */
  public Verdict admit(Ask ask) {
    boolean limited = !rates.isEmpty() && rates.covers(ask.who());
    if (limited) {
      RateLimiter.Refusal r =
          rates.take(ask.who(), inputTokens(ask) + outputTokens(ask), System.nanoTime());
      if (r != null) {
        rateLimited.incrementAndGet();
        return Verdict.rate(r);
      }
    }
    if (book.isEmpty() || !book.covers(ask.who())) {
      return Verdict.ADMITTED; // no estimate for a call no budget counts
    }
    Instant now = clock.instant();
    long worst = worstCase(ask, now);
    if (worst < 0) {
      Budget hard = config.refuseUnpriced() ? book.hardBudgetFor(ask.who()) : null;
      if (hard != null) {
        return refuse(
            hard,
            "Model '"
                + ask.model()
                + "' has no price, so its cost cannot be reserved against budget '"
                + hard.name()
                + "' (budgets.unpriced: refuse)");
      }
      worst = 0; // allowed and flagged: recorded unpriced by metering, as every unpriced call is
    }
    BudgetBook.Decision d = book.admit(ask.who(), worst, now);
    if (d.refusal() != null) {
      return refuse(d.refusal().budget(), d.refusal().message());
    }
    if (!d.hold().empty()) {
      holds.put(ask.callId(), new Held(d.hold(), System.nanoTime()));
    }
    return Verdict.ADMITTED;
  }

  /** The call was admitted but will never be priced (refused later on its way): give it back. */
  public void release(String callId) {
    Held h = holds.remove(callId);
    if (h != null) {
      book.release(h.hold());
    }
  }

  /** Metering thread, after the ledger writer was handed the call. */
  @Override
  public void onCall(Call call) {
    Held h = holds.remove(call.id());
    if (h != null) {
      long pico = call.status() == PricingStatus.UNPRICED ? 0 : Money.toPico(call.cost().total());
      book.settle(h.hold(), pico, ledgerStamp.getAsLong(), call.asked().start());
    }
  }

  /** Gives back holds older than the hold timeout; returns how many. */
  public int expireHolds() {
    long limit = System.nanoTime() - config.holdTimeout().toNanos();
    int n = 0;
    for (var e : holds.entrySet()) {
      if (e.getValue().sinceNanos() - limit < 0 && holds.remove(e.getKey(), e.getValue())) {
        book.release(e.getValue().hold());
        n++;
      }
    }
    return n;
  }

  public int openHolds() {
    return holds.size();
  }

  public Map<String, AtomicLong> rejections() {
    return rejections;
  }

  /** A refusal by {@code budget}, counted for {@code tollgate_budget_rejections_total}. */
  private Verdict refuse(Budget budget, String message) {
    rejections.computeIfAbsent(budget.name(), b -> new AtomicLong()).incrementAndGet();
    return new Verdict(message, null, Map.of());
  }

  private static long inputTokens(Ask ask) {
    return Math.min((ask.bodyBytes() + 2) / 3, MAX_TOKENS);
  }

  private long outputTokens(Ask ask) {
    long output =
        ask.maxOutputTokens() > 0 ? ask.maxOutputTokens() : config.defaultMaxOutputTokens();
    return Math.min(output, MAX_TOKENS); // a hostile max_tokens must not overflow the sum
  }

  public long rateLimited() {
    return rateLimited.get();
  }

  /**
   * The most this call can cost, in pico-dollars, or -1 when its model has no price. Input: the
   * body's bytes / 3 tokens (JSON and English run nearer 4 bytes a token; CJK text near 3); output:
   * what the request caps it at, else {@code budgets.default_max_output_tokens}; all at the
   * catalog's uncached rates for the tier asked.
   */
  long worstCase(Ask ask, Instant now) {
    long input = inputTokens(ask);
    long output = outputTokens(ask);
    Call.Charge charge =
        pricer.price(
            catalog.get(),
            ask.model(),
            ServiceTier.of(ask.tier()),
            new Usage(input, 0, 0, output, 0, 0, 0),
            Map.of(),
            now);
    if (charge.status() == PricingStatus.UNPRICED) {
      return -1;
    }
    // A worst case beyond what a long holds is no different from one just inside it: it cannot
    // fit any budget (a throw here, on an event loop, used to drop the connection unanswered).
    return Money.toPicoSaturated(charge.cost().total(), MAX_WORST_CASE_PICO);
  }
}
