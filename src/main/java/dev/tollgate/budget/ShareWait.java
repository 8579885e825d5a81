package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call waiting for this replica's share of a budget to grow. The budgets' sync thread tops the
 * share up and then admits (or refuses) the waiting calls itself, in the order they came, right
 * after the top-up: calls that arrive meanwhile cannot take the new share from under them. A call
 * whose client left, or whose wait timed out, gives up; a hold decided for it after that is given
 * back at once, so nothing leaks.
 *
 * @param needs by budget name: how much more share it needs
 */
public final class ShareWait {
  private static final int WAITING = 0;
  private static final int DECIDED = 1;
  private static final int ABANDONED = 2;

  final Attribution who;
  final long pico;
  final Map<String, Long> needs;
  private final AtomicInteger state = new AtomicInteger(WAITING);
  private final CompletableFuture<BudgetBook.Decision> decision = new CompletableFuture<>();

  ShareWait(Attribution who, long pico, Map<String, Long> needs) {
    this.who = who;
    this.pico = pico;
    this.needs = Map.copyOf(needs);
  }

  /**
   * Completes with the decision taken for it, or null when it must be decided on what is known (the
   * sync thread stopped).
   */
  public CompletableFuture<BudgetBook.Decision> decision() {
    return decision;
  }

  /** The event loop gives up on it; false when a decision came first (then use that one). */
  public boolean abandon() {
    return state.compareAndSet(WAITING, ABANDONED);
  }

  boolean waiting() {
    return state.get() == WAITING;
  }

  /** Sync thread: hands over {@code d}, or gives its hold back when the call gave up. */
  void decide(BudgetBook.Decision d, BudgetBook book) {
    if (state.compareAndSet(WAITING, DECIDED)) {
      decision.complete(d);
    } else if (d != null && d.hold() != null) {
      book.release(d.hold());
    }
  }
}
