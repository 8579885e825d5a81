package dev.tollgate.report;

import dev.tollgate.ledger.CallRecord;
import dev.tollgate.ledger.DailyCounters;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.Money;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.PricedCall;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.PricingStatus;
import dev.tollgate.pricing.ToolQuota;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs spend reports. Plain groupings read the daily totals (fast over months); groupings by tag
 * and what-if repricing read the raw calls (within the raw-row retention window).
 */
public final class SpendReports {
  private static final Map<String, String> COLUMNS = Map.of("team", "team", "project", "project", "user", "end_user",
      "key", "key_name", "model", "model", "api", "api", "service_tier", "service_tier", "day", "day",
      "month", "substr(day, 1, 7)");
  private static final String SUMS =
      String.join(", ", DailyCounters.COLUMNS.stream().map(c -> "SUM(" + c + ")").toList());

  private final LedgerReader ledger;
  private final Supplier<PriceCatalog> catalog;

  public SpendReports(LedgerReader ledger, Supplier<PriceCatalog> catalog) {
    this.ledger = ledger;
    this.catalog = catalog;
  }

  public SpendReport run(SpendQuery q) throws SQLException {
    List<SpendRow> rows = q.needsRawCalls() ? fromCalls(q) : fromDailyTotals(q);
    rows.sort(Comparator.comparing(SpendRow::costTotal).reversed().thenComparing(r -> String.valueOf(r.group())));
    return new SpendReport(q, rows);
  }

  private List<SpendRow> fromDailyTotals(SpendQuery q) throws SQLException {
    List<String> exprs = q.groupBy().stream().map(COLUMNS::get).toList();
    String select = exprs.isEmpty() ? "" : String.join(", ", exprs) + ", ";
    String sql = "SELECT " + select + SUMS + " FROM daily_spend WHERE day >= ? AND day < ?"
        + (exprs.isEmpty() ? "" : " GROUP BY " + String.join(", ", exprs));
    List<SpendRow> rows = new ArrayList<>();
    try (Connection c = ledger.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, q.from().toString());
      p.setString(2, q.to().toString());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          List<String> group = new ArrayList<>();
          for (int i = 1; i <= exprs.size(); i++) {
            String v = r.getString(i);
            group.add(v == null || v.isEmpty() ? null : v);
          }
          Totals t = new Totals();
          for (int k = 0; k < t.totals.length; k++) {
            t.totals[k] = r.getLong(exprs.size() + 1 + k);
          }
          if (t.totals[0] > 0) {
            rows.add(t.row(group, null, 0));
          }
        }
      }
    }
    return rows;
  }

  private List<SpendRow> fromCalls(SpendQuery q) throws SQLException {
    Map<List<String>, Totals> groups = new HashMap<>();
    PriceCatalog prices = catalog.get();
    Pricer pricer = new Pricer(new ToolQuota());
    Instant now = Instant.now();
    ledger.calls(q.from(), q.to(), call -> {
      Totals t = groups.computeIfAbsent(groupOf(call, q.groupBy()), k -> new Totals());
      t.add(call);
      if (q.whatIf()) {
        String model = q.whatIfModel() != null ? q.whatIfModel() : call.model();
        String tier = q.whatIfTier() != null ? q.whatIfTier() : call.pricedTier();
        PricedCall p = pricer.price(prices, model, tier, call.usage(), call.toolCalls(), now);
        t.whatIf = t.whatIf.add(p.cost().total());
        if (p.status() == PricingStatus.UNPRICED) {
          t.whatIfUnpriced++;
        }
      }
    });
    List<SpendRow> rows = new ArrayList<>();
    groups.forEach((group, t) -> rows.add(t.row(group, q.whatIf() ? t.whatIf : null, t.whatIfUnpriced)));
    return rows;
  }

  private static List<String> groupOf(CallRecord c, List<String> keys) {
    List<String> values = new ArrayList<>(keys.size());
    for (String k : keys) {
      values.add(switch (k) {
        case "team" -> c.attribution().team();
        case "project" -> c.attribution().project();
        case "user" -> c.attribution().user();
        case "key" -> c.attribution().key();
        case "model" -> c.model();
        case "api" -> c.api();
        case "service_tier" -> c.pricedTier();
        case "day" -> c.day();
        case "month" -> c.day().substring(0, 7);
        default -> c.attribution().tags().get(k.substring(4)); // tag:<name>
      });
    }
    return values;
  }

  /** Running sums for one group: the ledger's daily counters, plus the what-if price. */
  private static final class Totals {
    final long[] totals = DailyCounters.empty();
    BigDecimal whatIf = BigDecimal.ZERO;
    long whatIfUnpriced;

    void add(CallRecord c) {
      DailyCounters.add(totals, c);
    }

    SpendRow row(List<String> group, BigDecimal whatIf, long whatIfUnpriced) {
      List<BigDecimal> components = new ArrayList<>();
      BigDecimal total = BigDecimal.ZERO;
      for (int k = 0; k < DailyCounters.COST_COMPONENTS; k++) {
        BigDecimal usd = Money.fromPico(totals[DailyCounters.FIRST_COST + k]);
        components.add(usd);
        total = total.add(usd);
      }
      return new SpendRow(group, totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7],
          components, total, whatIf, whatIfUnpriced);
    }
  }
}
