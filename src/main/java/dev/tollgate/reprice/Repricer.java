package dev.tollgate.reprice;

import dev.tollgate.call.Call;
import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.RepricingScan;
import dev.tollgate.ledger.Repricings;
import dev.tollgate.ledger.UnpricedModel;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Prices again the calls the catalog could not price when they were made, at the prices in effect
 * at each call's own time. Only calls recorded {@code unpriced}, or {@code estimated} because a
 * tier, a price version or a confirmed price was missing, are candidates; a call whose usage was
 * estimated keeps that flag. Works in pages, each applied in one transaction, so it can be
 * interrupted at any point and run again; a call that is already right is left alone.
 */
public final class Repricer {
  /** Estimated for these reasons only: a later catalog can make such a call exact. */
  private static final Set<Reason.Kind> FIXABLE =
      EnumSet.of(
          Reason.Kind.NO_PRICE,
          Reason.Kind.TIER_UNPRICED,
          Reason.Kind.BEFORE_FIRST_PRICE,
          Reason.Kind.PRICE_UNCONFIRMED);

  /** Reasons about the usage, not the price: they stay on a repriced call. */
  private static final Set<Reason.Kind> ABOUT_USAGE =
      EnumSet.of(
          Reason.Kind.USAGE_MISSING, Reason.Kind.USAGE_INVALID, Reason.Kind.USAGE_OUT_OF_RANGE);

  private static final int PAGE = 500;

  private final LedgerReader ledger;
  private final Repricings writes;
  private final Clock clock;
  private final int page;

  public Repricer(LedgerReader ledger, Repricings writes, Clock clock) {
    this(ledger, writes, clock, PAGE);
  }

  /**
   * @param page calls read, priced and committed together
   */
  Repricer(LedgerReader ledger, Repricings writes, Clock clock, int page) {
    this.ledger = ledger;
    this.writes = writes;
    this.clock = clock;
    this.page = page;
  }

  /**
   * Reprices the calls of the days in [from, to).
   *
   * @param model only calls of this (stored) model, or null for all
   * @param dryRun compute and report, change nothing
   * @param applied told of each change as it is committed (metrics), never on a dry run
   */
  public RepriceResult run(
      PriceCatalog catalog,
      LocalDate from,
      LocalDate to,
      String model,
      boolean dryRun,
      Consumer<Repricings.Change> applied)
      throws SQLException {
    Pricer pricer = new Pricer(new ToolQuota());
    RepriceResult.Builder result = new RepriceResult.Builder(from, to, model, dryRun);
    // Unpriced calls only of the models the catalog prices now: the others would stay unpriced,
    // and on a big ledger they are most of the work (each start and catalog change read them all).
    for (String m : pricedNow(catalog, from, to, model, result)) {
      scan(
          new RepricingScan(from, to, PricingStatus.UNPRICED, m, Set.of()),
          pricer,
          catalog,
          dryRun,
          applied,
          result);
    }
    scan(
        new RepricingScan(from, to, PricingStatus.ESTIMATED, model, FIXABLE),
        pricer,
        catalog,
        dryRun,
        applied,
        result);
    return result.build();
  }

  /**
   * The models with calls recorded unpriced in [from, to) (of {@code model} alone, when named) that
   * the catalog prices now; the calls of the others are counted as examined, from the rollups.
   */
  private List<String> pricedNow(
      PriceCatalog catalog,
      LocalDate from,
      LocalDate to,
      String model,
      RepriceResult.Builder result)
      throws SQLException {
    List<String> out = new ArrayList<>();
    for (UnpricedModel m : ledger.unpriced(from, to)) {
      if (model != null && !model.equals(m.model())) {
        continue;
      }
      if (catalog.resolve(m.model()).isPresent()) {
        out.add(m.model());
      } else {
        result.examined(m.calls());
      }
    }
    return out;
  }

  private void scan(
      RepricingScan candidates,
      Pricer pricer,
      PriceCatalog catalog,
      boolean dryRun,
      Consumer<Repricings.Change> applied,
      RepriceResult.Builder result)
      throws SQLException {
    long afterStart = Long.MIN_VALUE;
    String afterId = "";
    while (true) {
      List<Call> calls = ledger.repricingCandidates(candidates, afterStart, afterId, page);
      if (calls.isEmpty()) {
        return;
      }
      List<Repricings.Change> changes = new ArrayList<>();
      for (Call c : calls) {
        result.examined();
        Call after = reprice(pricer, catalog, c);
        if (after != null) {
          changes.add(new Repricings.Change(c, after));
        }
      }
      List<Repricings.Change> done = dryRun ? changes : writes.apply(changes);
      for (Repricings.Change ch : done) {
        result.repriced(ch);
        if (!dryRun) {
          applied.accept(ch);
        }
      }
      Call last = calls.get(calls.size() - 1);
      afterStart = last.start().toEpochMilli();
      afterId = last.id();
    }
  }

  /** The call as the catalog now prices it, or null when that changes nothing. */
  Call reprice(Pricer pricer, PriceCatalog catalog, Call c) {
    List<Reason> reasons = c.charge().reasons();
    boolean fixable =
        c.status() == PricingStatus.UNPRICED
            || reasons.stream().anyMatch(r -> FIXABLE.contains(r.kind()));
    if (!fixable || reasons.stream().anyMatch(r -> r.kind() == Reason.Kind.NOTHING_TO_ESTIMATE)) {
      // No price makes zero estimated tokens a cost: such a call stays unpriced.
      return null;
    }
    Charge now =
        pricer.price(catalog, c.model(), c.tier(), c.usage(), c.served().toolCalls(), c.start());
    if (now.status() == PricingStatus.UNPRICED) {
      return null; // still no price: the call stays as it is
    }
    for (int i = reasons.size() - 1; i >= 0; i--) {
      if (ABOUT_USAGE.contains(reasons.get(i).kind())) {
        now = now.noting(reasons.get(i), PricingStatus.ESTIMATED);
      }
    }
    Charge was = c.charge();
    if (now.status() == was.status()
        && java.util.Objects.equals(now.priceVersion(), was.priceVersion())
        && now.cost().total().compareTo(was.cost().total()) == 0) {
      return null;
    }
    Call.Before before =
        was.before() != null
            ? new Call.Before(
                was.before().status(),
                was.before().priceVersion(),
                was.before().costTotal(),
                clock.instant())
            : new Call.Before(
                was.status(), was.priceVersion(), was.cost().total(), clock.instant());
    return c.withCharge(
        new Charge(
            now.status(), now.priceVersion(), now.cost(), now.reasons(), now.savings(), before));
  }
}
