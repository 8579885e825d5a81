package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Money;
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

  /** Why a call was refused: the budget and the numbers that decided it. */
  public record Refusal(
      Budget budget,
      long spentPico,
      long reservedPico,
      long askedPico,
      Instant resets,
      long sharePico,
      int replicas) {
    /** Refused for want of this replica's share, not because the whole budget is spent. */
    public boolean byShare() {
      return sharePico >= 0;
    }

    public String message() {
      String why =
          byShare()
              ? "is nearly spent: this call's worst case $%s is more than this replica's share of"
                      .formatted(usd(askedPico))
                  + " what remains, $%s (%d replicas share it; spent $%s, reserved $%s of $%s)"
                      .formatted(
                          usd(sharePico),
                          replicas,
                          usd(spentPico),
                          usd(reservedPico),
                          usd(budget.limitPico()))
              : "would be exceeded: spent $%s + reserved $%s + this call's worst case $%s > limit $%s"
                  .formatted(
                      usd(spentPico), usd(reservedPico), usd(askedPico), usd(budget.limitPico()));
      return "Budget '%s' (%s, %s) %s. It resets at %s."
          .formatted(budget.name(), budget.scope(), budget.period(), why, resets);
    }

    private static String usd(long pico) {
      return Money.format(Money.fromPico(pico));
    }
  }

  /** Either a hold (admitted; possibly holding nothing) or a refusal. */
  public record Decision(Hold hold, Refusal refusal) {}

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
        // As room left, so no sum of large numbers can overflow into "fits".
        boolean over = pico > a.budget.limitPico() - a.spent() - a.reserved();
        if (over || (a.replicas > 1 && pico > a.allowance)) {
          return new Decision(
              null,
              new Refusal(
                  a.budget,
                  a.spent(),
                  a.reserved(),
                  pico,
                  a.window.end(),
                  over ? -1 : a.allowance,
                  a.replicas));
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
      if (a.replicas > 1) {
        a.allowance -= pico;
      }
    }
    return new Decision(new Hold(hit.toArray(Account[]::new), pico), null);
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

  /** What the sync thread needs of each account: a copy taken under the lock. */
  public record Snapshot(Budget budget, Period.Window window, long held, long pending) {}

  public synchronized List<Snapshot> snapshot(Instant now) {
    List<Snapshot> out = new ArrayList<>(accounts.size());
    for (Account a : accounts.values()) {
      a.roll(now);
      out.add(new Snapshot(a.budget, a.window, a.held, a.pending()));
    }
    return out;
  }

  /**
   * What a sync read: the ledger's spend for the window (with the writer's committed stamp read
   * before it), and what the other replicas hold.
   */
  public synchronized void synced(
      String name,
      Period.Window window,
      long ledgerSpent,
      long committedStamp,
      long othersHeld,
      int replicas,
      long allowance) {
    Account a = accounts.get(name);
    if (a == null || !a.window.equals(window)) {
      return; // redefined or rolled over meanwhile: the next sync reads the new period
    }
    a.synced(ledgerSpent, committedStamp);
    a.othersHeld = othersHeld;
    a.replicas = Math.max(1, replicas);
    // Alone, the exact check (spent + reserved + this call <= limit) is all it takes. With others,
    // this replica reserves only from the share it took while no other took one, so replicas
    // deciding on views up to one sync old never together reserve more than was free.
    a.allowance = a.replicas > 1 ? allowance : Long.MAX_VALUE;
  }

  /** A budget's status now, or null when no such budget is in force. */
  public record Status(
      Budget budget, Period.Window window, long spentPico, long reservedPico, int replicas) {
    public long remainingPico() {
      return Math.max(0, budget.limitPico() - spentPico - reservedPico);
    }
  }

  public synchronized List<Status> status(Instant now) {
    List<Status> out = new ArrayList<>();
    for (Account a : accounts.values()) {
      a.roll(now);
      out.add(new Status(a.budget, a.window, a.spent(), a.reserved(), a.replicas));
    }
    return out;
  }
}
