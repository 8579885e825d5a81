package dev.tollgate.report;

import java.math.BigDecimal;
import java.util.List;

/** A spend report: its rows (largest spend first) and totals. */
public record SpendReport(SpendQuery query, List<SpendRow> rows) {
  public SpendReport {
    rows = List.copyOf(rows);
  }

  public BigDecimal total() {
    return rows.stream().map(SpendRow::costTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Null when the query asked no what-if. */
  public BigDecimal whatIfTotal() {
    return query.whatIf()
        ? rows.stream().map(SpendRow::whatIfCost).reduce(BigDecimal.ZERO, BigDecimal::add)
        : null;
  }
}
