package dev.tollgate.budget;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * One budget's numbers in its current period, as this replica knows them. Guarded by the {@link
 * BudgetBook}'s lock.
 */
final class Account {
  /** A settled call's cost that the last ledger read may not have counted yet. */
  private record Pending(long ledgerStamp, long pico) {}

  final Budget budget;
  Period.Window window;

  /** Spend the ledger held at the last sync (every replica's committed calls). */
  long ledgerSpent;

  /** Other replicas' holds and uncommitted settlements, as they last published them. */
  long othersHeld;

  /** Other replicas' unused shares (allowances), as they last published them. */
  long othersShares;

  /** Everything this replica ever reserved on this account: what was taken between two reads. */
  long reservedTotal;

  /** Everything calls asked for beyond this replica's share (top-ups): demand not yet reserved. */
  long askedTotal;

  /** What this replica reserved in each of the last sync intervals, most recent last. */
  private final long[] demand = new long[DEMAND_INTERVALS];

  private long demandMark;

  /** How many sync intervals a replica's demand is remembered for. */
  static final int DEMAND_INTERVALS = 5;

  /** How many replicas shared the budget at the last sync (1: this one alone). */
  int replicas = 1;

  /** With several replicas: what this one may still reserve before the next sync. */
  long allowance = Long.MAX_VALUE;

  /** This replica's in-flight reservations. */
  long held;

  /** This replica's settled costs not yet seen in {@link #ledgerSpent}. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  private long pendingSum;

  Account(Budget budget, Instant now) {
    this.budget = budget;
    this.window = budget.period().window(now);
  }

  /** Starts the next period when {@code now} has left this one: spend starts from zero. */
  void roll(Instant now) {
    if (!window.contains(now)) {
      window = budget.period().window(now);
      ledgerSpent = 0;
      othersHeld = 0;
      othersShares = 0;
      pending.clear();
      pendingSum = 0;
      allowance = replicas > 1 ? 0 : Long.MAX_VALUE; // until a sync has seen the new period
    }
  }

  long spent() {
    return ledgerSpent + pendingSum;
  }

  /** Everything reserved now: this replica's holds and what the others published. */
  long reserved() {
    return held + othersHeld;
  }

  private long demandTotal() {
    long t = reservedTotal + askedTotal;
    return t < 0 ? Long.MAX_VALUE : t;
  }

  long pending() {
    return pendingSum;
  }

  /** Closes a sync interval: what was reserved in it joins the remembered demand. */
  void closeInterval() {
    System.arraycopy(demand, 1, demand, 0, demand.length - 1);
    demand[demand.length - 1] = demandTotal() - demandMark;
    demandMark = demandTotal();
  }

  /**
   * The most this replica reserved, or was asked for beyond its share, in one of the last sync
   * intervals (this one included). What was asked counts at once, so a sync that comes between a
   * top-up and the calls it was for does not take their share away again.
   */
  long peakDemand() {
    long peak = demandTotal() - demandMark;
    for (long d : demand) {
      peak = Math.max(peak, d);
    }
    return peak;
  }

  void settled(long ledgerStamp, long pico) {
    pending.add(new Pending(ledgerStamp, pico));
    pendingSum += pico;
  }

  /** Forgets settlements the ledger had committed when {@code spent} was read from it. */
  void synced(long spent, long committedStamp) {
    ledgerSpent = spent;
    while (!pending.isEmpty() && pending.peek().ledgerStamp() <= committedStamp) {
      pendingSum -= pending.poll().pico();
    }
  }
}
