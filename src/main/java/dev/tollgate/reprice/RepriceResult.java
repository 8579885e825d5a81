package dev.tollgate.reprice;

import dev.tollgate.call.Money;
import dev.tollgate.ledger.Repricings;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a repricing run did: calls examined and repriced, and the cost before and after, in total
 * and by model.
 */
public record RepriceResult(
    LocalDate from,
    LocalDate to,
    String model,
    boolean dryRun,
    long examined,
    long repriced,
    BigDecimal before,
    BigDecimal after,
    Map<String, ByModel> byModel) {

  public RepriceResult {
    byModel = Map.copyOf(byModel);
  }

  /** The correction a run made to the ledger's total. */
  public BigDecimal delta() {
    return after.subtract(before);
  }

  /** One model's share. */
  public record ByModel(long repriced, BigDecimal before, BigDecimal after) {}

  static final class Builder {
    private final LocalDate from;
    private final LocalDate to;
    private final String model;
    private final boolean dryRun;
    private long examined;
    private long repriced;
    private BigDecimal before = BigDecimal.ZERO;
    private BigDecimal after = BigDecimal.ZERO;
    private final Map<String, ByModel> byModel = new TreeMap<>();

    Builder(LocalDate from, LocalDate to, String model, boolean dryRun) {
      this.from = from;
      this.to = to;
      this.model = model;
      this.dryRun = dryRun;
    }

    void examined() {
      examined++;
    }

    /** Calls known to stay as they are, counted without being read (a model still unpriced). */
    void examined(long calls) {
      examined += calls;
    }

    void repriced(Repricings.Change ch) {
      repriced++;
      BigDecimal b = ch.before().cost().total();
      BigDecimal a = ch.after().cost().total();
      before = before.add(b);
      after = after.add(a);
      byModel.merge(
          String.valueOf(ch.after().model()),
          new ByModel(1, b, a),
          (x, y) ->
              new ByModel(
                  x.repriced() + y.repriced(),
                  x.before().add(y.before()),
                  x.after().add(y.after())));
    }

    RepriceResult build() {
      return new RepriceResult(from, to, model, dryRun, examined, repriced, before, after, byModel);
    }
  }

  /** A one-screen summary for the terminal. */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format("%-32s %10s %14s %14s%n", "model", "repriced", "before_usd", "after_usd"));
    byModel.forEach(
        (m, b) ->
            s.append(
                String.format(
                    "%-32s %10d %14s %14s%n",
                    m, b.repriced(), Money.format(b.before()), Money.format(b.after()))));
    s.append(
        String.format(
            "%d of %d calls repriced (%s to %s, UTC, to exclusive): $%s -> $%s, %s$%s%s%n",
            repriced,
            examined,
            from,
            to,
            Money.format(before),
            Money.format(after),
            delta().signum() < 0 ? "-" : "+",
            Money.format(delta().abs()),
            dryRun ? " (dry run: nothing was changed)" : ""));
    return s.toString();
  }
}
