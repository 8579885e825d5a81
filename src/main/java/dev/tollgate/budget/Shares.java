package dev.tollgate.budget;

import dev.tollgate.ledger.BudgetLedger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * How much of a budget this replica may reserve on its own before it next asks: its share. Each
 * share is taken inside the budget's database lock from what no live replica holds, so shares never
 * add up to more than was free, and it is sized to this replica's demand, so replicas with no
 * traffic hold next to nothing and a busy one can have the rest:
 *
 * <ul>
 *   <li>at each sync: the lesser of a fair part of what is free, {@code free / replicas}, and twice
 *       the most this replica reserved in one of its last sync intervals;
 *   <li>on a top-up, asked when a call's worst case is more than the share left: the worst cases of
 *       the calls waiting, plus as much again (or twice the recent peak) while money is plenty, as
 *       far as what is free allows.
 * </ul>
 *
 * Runs on the budgets' sync thread only.
 */
final class Shares {
  private final BudgetBook book;
  private final BudgetLedger ledger;
  private final String replica;
  private final LongSupplier committedStamp;

  Shares(BudgetBook book, BudgetLedger ledger, String replica, LongSupplier committedStamp) {
    this.book = book;
    this.ledger = ledger;
    this.replica = replica;
    this.committedStamp = committedStamp;
  }

  /** A sync round for one budget: spend read, holds published, a demand-sized share taken. */
  void sync(BudgetBook.Snapshot s, Instant now, long liveAfterMs) throws SQLException {
    long want = satAdd(s.peakDemand(), s.peakDemand());
    take(
        s,
        liveAfterMs,
        (free, replicas) -> plenty(free, replicas, want) ? Math.min(free, want) : 0);
  }

  /**
   * A top-up for one budget, at once: {@code need} (the worst cases of the calls waiting) on top of
   * the share left, as far as what is free allows.
   */
  void topUp(String budget, long need, Instant now, long liveAfterMs) throws SQLException {
    BudgetBook.Snapshot s = book.snapshot(budget, now);
    if (s == null) {
      return;
    }
    long slack = Math.max(need, 2 * s.peakDemand());
    long left = Math.max(0, s.allowance());
    take(
        s,
        liveAfterMs,
        (free, replicas) ->
            Math.min(
                free,
                plenty(free, replicas, satAdd(need, slack))
                    ? satAdd(satAdd(left, need), slack)
                    : satAdd(left, need)));
  }

  /**
   * Whether what is free is plenty for every replica to hold twice what this one wants: then shares
   * carry slack (calls rarely wait). Near the end of a budget they do not: a share is only what the
   * calls waiting asked for, so no money sits unused in a replica's share while another replica's
   * call is refused for want of it.
   */
  private static boolean plenty(long free, int replicas, long want) {
    return free / Math.max(1, replicas) / 2 >= want;
  }

  /** Given what is free (nobody holds it, this replica's old share included) and the replicas. */
  private interface Rule {
    long share(long free, int replicas);
  }

  private void take(BudgetBook.Snapshot s, long liveAfterMs, Rule rule) throws SQLException {
    Budget b = s.budget();
    long committed = committedStamp.getAsLong(); // before the read: what it surely counts
    long spent =
        ledger.spent(
            b.scope().kind(),
            b.scope().tag(),
            b.scope().value(),
            s.window().start(),
            s.window().end());
    long mine = s.held() + s.pending();
    BudgetLedger.Others others =
        ledger.publish(
            b.name(),
            replica,
            s.window().start().toEpochMilli(),
            s.held(),
            s.pending(),
            liveAfterMs,
            (othersPico, n) ->
                Math.max(
                    0, rule.share(Math.max(0, b.limitPico() - spent - othersPico - mine), n + 1)));
    book.synced(
        s,
        spent,
        committed,
        others.heldPico(),
        others.sharesPico(),
        others.replicas() + 1,
        others.allowance());
  }

  static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
