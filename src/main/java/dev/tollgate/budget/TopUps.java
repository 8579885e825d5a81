package dev.tollgate.budget;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls waiting for this replica's share of a budget to grow ({@link ShareWait}), served on the
 * budgets' sync thread in batches: one database round trip per budget however many calls wait, then
 * each call decided there, in the order they came.
 */
final class TopUps {
  private static final Logger LOG = LoggerFactory.getLogger(TopUps.class);

  private final BudgetBook book;
  private final Shares shares;
  private final Executor thread;
  private final Duration lease;
  private final Clock clock;
  private final List<ShareWait> waiting = new java.util.ArrayList<>(); // guarded by itself
  private final AtomicLong topUps = new AtomicLong();

  TopUps(BudgetBook book, Shares shares, Executor thread, Duration lease, Clock clock) {
    this.book = book;
    this.shares = shares;
    this.thread = thread;
    this.lease = lease;
    this.clock = clock;
  }

  /**
   * Tops up this replica's share of each budget {@code w} needs, on the sync thread (one database
   * round trip per budget, however many calls wait), then decides the waiting calls there, in the
   * order they came, before calls arriving meanwhile can take the new share.
   */
  void request(ShareWait w) {
    boolean schedule;
    synchronized (waiting) {
      waiting.add(w);
      schedule = waiting.size() == 1;
    }
    if (schedule) {
      try {
        thread.execute(this::runTopUps);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        decideWithoutTopUp(); // closing: each call is decided on what is known
      }
    }
  }

  private void decideWithoutTopUp() {
    List<ShareWait> ws = drainWaiting();
    ws.forEach(x -> x.decide(null, book));
  }

  private List<ShareWait> drainWaiting() {
    synchronized (waiting) {
      List<ShareWait> ws = new java.util.ArrayList<>(waiting);
      waiting.clear();
      return ws;
    }
  }

  /** Rounds of top-ups one batch of waiting calls gets on the sync thread before it is decided. */
  private static final int ROUNDS = 3;

  private void runTopUps() {
    List<ShareWait> batch = drainWaiting();
    try {
      for (int round = 1; round <= ROUNDS && !batch.isEmpty(); round++) {
        batch = topUpAndDecide(batch, round < ROUNDS);
      }
    } catch (RuntimeException ex) {
      LOG.error("Budget share top-up failed", ex);
    } finally {
      batch.forEach(w -> w.decide(null, book)); // decided on what is known
    }
  }

  /**
   * Tops up what {@code batch} needs, then decides each waiting call in the order they came. A call
   * still short only because holds were settled while the top-up read the database (so the money is
   * there, but was not free when read) is returned for another round when {@code again}.
   */
  private List<ShareWait> topUpAndDecide(List<ShareWait> batch, boolean again) {
    Map<String, Long> needs = new java.util.LinkedHashMap<>();
    for (ShareWait w : batch) {
      // A call that gave up (or could not wait: a socket's turn) still wants the share for the
      // next.
      w.needs.forEach((b, n) -> needs.merge(b, n, Shares::satAdd));
    }
    Instant now = clock.instant();
    long liveAfter = now.toEpochMilli() - lease.toMillis();
    for (Map.Entry<String, Long> e : needs.entrySet()) {
      try {
        shares.topUp(e.getKey(), e.getValue(), now, liveAfter);
        topUps.incrementAndGet();
      } catch (SQLException ex) {
        LOG.warn("Budget '{}': share not topped up: {}", e.getKey(), ex.getMessage());
      }
    }
    List<ShareWait> next = new java.util.ArrayList<>();
    for (ShareWait w : batch) {
      if (!w.waiting()) {
        continue;
      }
      BudgetBook.Decision d = book.admit(w.who, w.pico, clock.instant());
      if (again && d.refusal() != null && !d.shortfalls().isEmpty()) {
        next.add(w);
      } else {
        w.decide(d, book);
      }
    }
    return next;
  }

  /** Top-ups run so far (each one budget's database round trip). */
  long topUps() {
    return topUps.get();
  }

  /** Closing: every call still waiting is decided on what is known. */
  void close() {
    decideWithoutTopUp();
  }
}
