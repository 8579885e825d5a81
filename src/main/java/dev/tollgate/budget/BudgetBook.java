package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The budgets in force and their accounts, shared by the event loops (admit), the metering thread
 * (settle) and the sync thread. One lock: a handful of budgets and a few adds per call, held for
 * well under a microsecond.
 */
public final class BudgetBook {
  /** A call's reservation on every budget it counts against. */
  public static final class Hold {
    private final Account[] accounts;
    private final long pico;
    private boolean open = true;

    private Hold(Account[] accounts, long pico) {
      this.accounts = accounts;
      this.pico = pico;
    }

    public long pico() {
      return pico;
    }

    /** Counts against no budget. */
    public boolean empty() {
      return accounts.length == 0;
    }
  }

  /**
   * Either a hold (admitted; possibly holding nothing) or a refusal; with a refusal for want of
   * this replica's share, the share each short budget should ask for ({@link #shortfalls}), taken
   * under the same lock as the refusal.
   */
  public record Decision(Hold hold, BudgetRefusal refusal, Map<String, Long> shortfalls) {
    public Decision(Hold hold, BudgetRefusal refusal) {
      this(hold, refusal, Map.of());
    }
  }

  private static final Hold NOTHING = new Hold(new Account[0], 0);

  private Map<String, Account> accounts = new LinkedHashMap<>();

  /** Puts {@code budgets} in force; accounts of budgets that stay keep their numbers. */
  public synchronized void define(List<Budget> budgets, Instant now) {
    Map<String, Account> next = new LinkedHashMap<>();
    for (Budget b : budgets) {
      Account old = accounts.get(b.name());
      Account a = old != null && old.budget.equals(b) ? old : new Account(b, now);
      if (old != null && a != old) { // a changed definition: what is in flight stays held
        a.held = old.held;
      }
      next.put(b.name(), a);
    }
    accounts = next;
  }

  /** True when {@code who}'s calls count against some budget (most calls: none). */
  public synchronized boolean covers(Attribution who) {
    for (Account a : accounts.values()) {
      if (a.budget.scope().matches(who)) {
        return true;
      }
    }
    return false;
  }

  /** The first hard budget {@code who}'s calls count against, or null. */
  public synchronized Budget hardBudgetFor(Attribution who) {
    for (Account a : accounts.values()) {
      if (a.budget.hard() && a.budget.scope().matches(who)) {
        return a.budget;
      }
    }
    return null;
  }

  public synchronized boolean isEmpty() {
    return accounts.isEmpty();
  }

  /**
   * Reserves {@code pico} on every budget {@code who}'s call counts against, unless that would take
   * a hard budget past its limit.
   */
  public synchronized Decision admit(Attribution who, long pico, Instant now) {
    List<Account> hit = null;
    for (Account a : accounts.values()) {
      if (!a.budget.scope().matches(who)) {
        continue;
      }
      a.roll(now);
      if (a.budget.hard()) {
        // As room left, so no sum of large numbers can overflow into "fits". Reserved money is
        // holds and uncommitted costs; the replicas' unused shares are room, handed out.
        boolean over = pico > a.budget.limitPico() - a.spent() - a.reserved();
        if (over || (a.replicas > 1 && pico > a.allowance)) {
          return new Decision(
              null,
              new BudgetRefusal(
                  a.budget,
                  a.spent(),
                  a.reserved(),
                  pico,
                  a.window.end(),
                  over ? -1 : a.allowance,
                  a.replicas,
                  a.othersShares),
              over ? Map.of() : shortfalls(who, pico, now));
        }
      }
      if (hit == null) {
        hit = new ArrayList<>(2);
      }
      hit.add(a);
    }
    if (hit == null) {
      return new Decision(NOTHING, null);
    }
    for (Account a : hit) {
      a.held += pico;
      a.reservedTotal += pico;
      if (a.replicas > 1) {
        a.allowance -= pico;
      }
    }
    return new Decision(new Hold(hit.toArray(Account[]::new), pico), null);
  }

  /**
   * For each hard budget {@code who}'s call counts against whose room would take it but whose share
   * on this replica would not: how much more share it needs. Empty when a share would not help (the
   * money is gone) or none is short.
   */
  public synchronized Map<String, Long> shortfalls(Attribution who, long pico, Instant now) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Account a : accounts.values()) {
      if (!a.budget.hard() || !a.budget.scope().matches(who)) {
        continue;
      }
      a.roll(now);
      if (pico > a.budget.limitPico() - a.spent() - a.reserved()) {
        return Map.of(); // over the whole budget: no share can make it fit
      }
      if (a.replicas > 1 && pico > a.allowance) {
        // The whole worst case, not what the share lacks: calls waiting together each saw the
        // same share left, and it can go to any of them (or to a call that did not wait).
        a.askedTotal += pico;
        out.put(a.budget.name(), pico);
      }
    }
    return out;
  }

  /** The call cost {@code pico}: its hold becomes spend (in the period the call started in). */
  public synchronized void settle(Hold h, long pico, long ledgerStamp, Instant start) {
    if (!h.open) {
      return;
    }
    h.open = false;
    for (Account a : h.accounts) {
      a.held -= h.pico;
      if (a.window.contains(start) && pico > 0) {
        a.settled(ledgerStamp, pico);
      }
    }
  }

  /** The call never ran (refused elsewhere, failed before sending): its hold is returned. */
  public synchronized void release(Hold h) {
    settle(h, 0, 0, Instant.EPOCH);
  }

  /**
   * What the sync thread needs of each account: a copy taken under the lock.
   *
   * @param reservedTotal all this replica ever reserved on it, when the copy was taken
   * @param allowance this replica's share left then (with several replicas)
   * @param peakDemand the most it reserved in one of the last sync intervals
   */
  public record Snapshot(
      Budget budget,
      Period.Window window,
      long held,
      long pending,
      long reservedTotal,
      long allowance,
      long peakDemand) {}

  /** Every account, copied; {@code closeInterval} also starts the next demand interval. */
  public synchronized List<Snapshot> snapshot(Instant now, boolean closeInterval) {
    List<Snapshot> out = new ArrayList<>(accounts.size());
    for (Account a : accounts.values()) {
      a.roll(now);
      if (closeInterval) {
        a.closeInterval();
      }
      out.add(snapshot(a));
    }
    return out;
  }

  public List<Snapshot> snapshot(Instant now) {
    return snapshot(now, false);
  }

  /** One budget's account, copied; null when no such budget is in force. */
  public synchronized Snapshot snapshot(String name, Instant now) {
    Account a = accounts.get(name);
    if (a == null) {
      return null;
    }
    a.roll(now);
    return snapshot(a);
  }

  private static Snapshot snapshot(Account a) {
    return new Snapshot(
        a.budget, a.window, a.held, a.pending(), a.reservedTotal, a.allowance, a.peakDemand());
  }

  /**
   * What a sync read: the ledger's spend for the window (with the writer's committed stamp read
   * before it), what the other replicas hold and their shares, and the share this replica took when
   * {@code taken} was copied (what it reserved since comes off it).
   */
  public synchronized void synced(
      Snapshot taken,
      long ledgerSpent,
      long committedStamp,
      long othersHeld,
      long othersShares,
      int replicas,
      long allowance) {
    Account a = accounts.get(taken.budget().name());
    if (a == null || !a.window.equals(taken.window())) {
      return; // redefined or rolled over meanwhile: the next sync reads the new period
    }
    a.synced(ledgerSpent, committedStamp);
    a.othersHeld = othersHeld;
    a.othersShares = othersShares;
    a.replicas = Math.max(1, replicas);
    // Alone, the exact check (spent + reserved + this call <= limit) is all it takes. With others,
    // this replica reserves only from the share it took while no other took one, so replicas
    // deciding on views up to one sync old never together reserve more than was free. What it
    // reserved since the copy was published came out of the share it had then.
    a.allowance =
        a.replicas > 1
            ? Math.max(0, allowance - (a.reservedTotal - taken.reservedTotal()))
            : Long.MAX_VALUE;
  }

  /**
   * A budget's status now.
   *
   * @param reservedPico in-flight reservations and settled costs not yet in the ledger, of every
   *     live replica
   * @param sharesPico of what remains, what the replicas hold as their unused shares (0 alone)
   */
  public record Status(
      Budget budget,
      Period.Window window,
      long spentPico,
      long reservedPico,
      int replicas,
      long sharesPico) {
    public Status(
        Budget budget, Period.Window window, long spentPico, long reservedPico, int replicas) {
      this(budget, window, spentPico, reservedPico, replicas, 0);
    }

    public long remainingPico() {
      return Math.max(0, budget.limitPico() - spentPico - reservedPico);
    }
  }

  public synchronized List<Status> status(Instant now) {
    List<Status> out = new ArrayList<>();
    for (Account a : accounts.values()) {
      a.roll(now);
      long shares = a.replicas > 1 ? a.othersShares + Math.max(0, a.allowance) : 0;
      out.add(new Status(a.budget, a.window, a.spent(), a.reserved(), a.replicas, shares));
    }
    return out;
  }
}
