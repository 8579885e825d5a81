package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Call;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.metering.CallListener;
import dev.tollgate.pricing.PriceCatalog;
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
  public record Verdict(
      String refusal, String rateUnit, Map<String, String> headers, ShareWait topUp) {
    public static final Verdict ADMITTED = new Verdict(null, null, Map.of(), null);

    public Verdict(String refusal, String rateUnit, Map<String, String> headers) {
      this(refusal, rateUnit, headers, null);
    }

    public boolean admitted() {
      return refusal == null && topUp == null;
    }

    /**
     * Not decided yet: this replica's share of a budget is short, more was asked for, and the call
     * is decided again ({@link #admitAfterTopUp}) once {@code topUp} completes.
     */
    public boolean waiting() {
      return topUp != null;
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

  private record Held(BudgetBook.Hold hold, long sinceNanos) {}

  private final BudgetBook book;
  private final BudgetsConfig config;
  private final Supplier<PriceCatalog> catalog;
  private final LongSupplier ledgerStamp;
  private final Clock clock;
  private final WorstCase estimate;
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
    this.estimate = new WorstCase(config, catalog);
  }

  public BudgetBook book() {
    return book;
  }

  /** Asks the sync thread for more of a budget's share, then to decide the waiting call. */
  public interface MoreShare {
    void request(ShareWait w);
  }

  private volatile MoreShare topUps;

  public void topUps(MoreShare t) {
    this.topUps = t;
  }

  /**
   * Event loop: a few adds under one short lock, and an estimate only when a budget applies. A call
   * refused only for want of this replica's share is not refused yet: the verdict is {@link
   * Verdict#waiting}, and {@link #admitAfterTopUp} decides it.
   */
  public Verdict admit(Ask ask) {
    return admit(ask, 0);
  }

  /**
   * The call after its wait ({@link Verdict#waiting}): admitted with the hold the sync thread took
   * for it, refused, or waiting once more if other calls of this replica took the new share first
   * (at most {@link #TOP_UPS_PER_CALL} waits in all).
   *
   * @param d what the sync thread decided, or null to decide now on what is known (it timed out)
   * @param waited how many waits this call has had
   */
  public Verdict admitAfterTopUp(Ask ask, BudgetBook.Decision d, int waited) {
    if (d == null) {
      return admit(ask, TOP_UPS_PER_CALL);
    }
    if (d.refusal() == null) {
      held(ask, d.hold());
      return Verdict.ADMITTED;
    }
    Verdict again = waitForShare(ask, d, waited);
    return again != null ? again : refuse(d.refusal().budget(), d.refusal().message());
  }

  /**
   * For a caller that cannot wait (a socket's turns, relayed in order): decided on the share there
   * is; a top-up it asked for serves the next call.
   */
  public Verdict admitWithoutWaiting(Ask ask) {
    Verdict v = admit(ask);
    if (!v.waiting()) {
      return v;
    }
    v.topUp().abandon();
    return admitAfterTopUp(ask, null, TOP_UPS_PER_CALL);
  }

  /** A decision taken for a call that no longer wants it (its client left): its hold back. */
  public void giveBack(BudgetBook.Decision d) {
    if (d != null && d.hold() != null) {
      book.release(d.hold());
    }
  }

  /** How many times one call may wait for a top-up of this replica's share. */
  public static final int TOP_UPS_PER_CALL = 3;

  /** Waiting for a top-up, when the refusal is for want of share that more share would cure. */
  private Verdict waitForShare(Ask ask, BudgetBook.Decision d, int waited) {
    MoreShare t = topUps;
    Map<String, Long> needs = d.shortfalls();
    if (waited >= TOP_UPS_PER_CALL || t == null || needs.isEmpty()) {
      return null;
    }
    ShareWait w = new ShareWait(ask.who(), d.refusal().askedPico(), needs);
    t.request(w);
    return new Verdict(null, null, Map.of(), w);
  }

  private void held(Ask ask, BudgetBook.Hold h) {
    if (h != null && !h.empty()) {
      holds.put(ask.callId(), new Held(h, System.nanoTime()));
    }
  }

  private Verdict admit(Ask ask, int waited) {
    boolean first = waited == 0;
    boolean limited = first && !rates.isEmpty() && rates.covers(ask.who());
    if (limited) {
      RateLimiter.Refusal r = rates.take(ask.who(), estimate.tokens(ask), System.nanoTime());
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
      Verdict wait = waitForShare(ask, d, waited);
      return wait != null ? wait : refuse(d.refusal().budget(), d.refusal().message());
    }
    held(ask, d.hold());
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
      long pico = call.status() == PricingStatus.UNPRICED ? 0 : call.cost().picoTotal();
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

  public long rateLimited() {
    return rateLimited.get();
  }

  /** The most this call can cost, in pico-dollars, or -1 when its model has no price. */
  long worstCase(Ask ask, Instant now) {
    return estimate.of(ask, now);
  }
}
