package dev.tollgate.report;

import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.Dimension;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Tally;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs spend reports. Plain groupings read the rollups or daily totals (fast over months and
 * millions of calls); groupings by tag and what-if repricing read the raw calls (within the raw-row
 * retention window).
 */
public final class SpendReports {
  private final LedgerReader ledger;
  private final Supplier<PriceCatalog> catalog;

  public SpendReports(LedgerReader ledger, Supplier<PriceCatalog> catalog) {
    this.ledger = ledger;
    this.catalog = catalog;
  }

  public SpendReport run(SpendQuery q) throws SQLException {
    List<SpendRow> rows = q.needsRawCalls() ? fromCalls(q) : fromTotals(q);
    if (rows == null) {
      rows = fromCalls(q); // by provider or status over days before the rollups
    }
    return new SpendReport(q, mostSpentFirst(rows));
  }

  /**
   * Most spent first, then by group. Each row's total and group text are made once: a total is
   * summed exactly from its components, and made per comparison it was most of a 600-group report's
   * time.
   */
  private static List<SpendRow> mostSpentFirst(List<SpendRow> rows) {
    record Keyed(SpendRow row, BigDecimal cost, String group) {}
    List<Keyed> keyed = new ArrayList<>(rows.size());
    for (SpendRow r : rows) {
      keyed.add(new Keyed(r, r.costTotal(), String.valueOf(r.group())));
    }
    keyed.sort(Comparator.comparing(Keyed::cost).reversed().thenComparing(Keyed::group));
    List<SpendRow> sorted = new ArrayList<>(rows.size());
    keyed.forEach(k -> sorted.add(k.row()));
    return sorted;
  }

  /** From the rollups or daily totals; null when neither holds the query's dimensions. */
  private List<SpendRow> fromTotals(SpendQuery q) throws SQLException {
    Map<Dimension, String> where = new java.util.EnumMap<>(Dimension.class);
    // The totals keep "no value" as ''.
    q.dimensionFilters().forEach((d, v) -> where.put(d, v.equals(SpendQuery.NONE) ? "" : v));
    Map<List<String>, dev.tollgate.call.Tally> groups =
        ledger.totals(q.from(), q.to(), q.dimensions(), where);
    if (groups == null) {
      return null;
    }
    List<SpendRow> rows = new ArrayList<>();
    groups.forEach((group, tally) -> rows.add(new SpendRow(shown(group), tally, null, 0)));
    return rows;
  }

  private static List<String> shown(List<String> group) {
    return group.stream().map(SpendQuery::shown).toList();
  }

  private List<SpendRow> fromCalls(SpendQuery q) throws SQLException {
    Map<List<String>, Group> groups = new HashMap<>();
    PriceCatalog prices = catalog.get();
    // A what-if model must be one the catalog prices, and only reprices calls of its own kind.
    String whatIfKind =
        q.whatIfModel() == null
            ? null
            : prices
                .resolve(q.whatIfModel())
                .map(ModelPrice::kind)
                .orElseThrow(
                    () ->
                        new SpendQuery.Invalid(
                            "what_if",
                            "what-if model '"
                                + q.whatIfModel()
                                + "' is not in the price catalog: nothing could be priced at it"));
    Pricer pricer = new Pricer(new ToolQuota());
    Instant now = Instant.now();
    ledger.calls(
        q.from(),
        q.to(),
        call -> {
          for (Map.Entry<String, String> f : q.filters().entrySet()) {
            if (!f.getValue().equals(valueOf(call, f.getKey()))) {
              return;
            }
          }
          Group g = groups.computeIfAbsent(groupOf(call, q.groupBy()), k -> new Group());
          g.tally.add(call);
          if (whatIfKind != null && !whatIfKind.equals(kindOf(call))) {
            // An embedding is never repriced at a chat model's rates, nor the reverse.
            g.whatIf = g.whatIf.add(call.cost().total());
            g.whatIfUnpriced++;
          } else if (q.whatIf()) {
            String model = q.whatIfModel() != null ? q.whatIfModel() : call.model();
            ServiceTier tier =
                q.whatIfTier() != null ? ServiceTier.of(q.whatIfTier()) : call.tier();
            Charge p =
                pricer.price(prices, model, tier, call.usage(), call.served().toolCalls(), now);
            g.whatIf = g.whatIf.add(p.cost().total());
            if (p.status() == PricingStatus.UNPRICED) {
              g.whatIfUnpriced++;
            }
          }
        });
    List<SpendRow> rows = new ArrayList<>();
    groups.forEach(
        (group, g) ->
            rows.add(new SpendRow(group, g.tally, q.whatIf() ? g.whatIf : null, g.whatIfUnpriced)));
    return rows;
  }

  private static String kindOf(Call c) {
    return c.asked().api() == Api.EMBEDDINGS ? ModelPrice.EMBEDDING : ModelPrice.CHAT;
  }

  private static List<String> groupOf(Call c, List<String> keys) {
    List<String> values = new ArrayList<>(keys.size());
    for (String k : keys) {
      values.add(valueOf(c, k));
    }
    return values;
  }

  /** A call's value for a group-by key as reports show it ({@link SpendQuery#NONE} for none). */
  private static String valueOf(Call c, String key) {
    String tag = SpendQuery.tagName(key);
    String value =
        tag != null ? c.attribution().tags().get(tag) : Dimension.byLabel(key).orElseThrow().of(c);
    return SpendQuery.shown(value);
  }

  /** Running sums for one group of raw calls, with the what-if price. */
  private static final class Group {
    final Tally tally = new Tally();
    BigDecimal whatIf = BigDecimal.ZERO;
    long whatIfUnpriced;
  }
}
