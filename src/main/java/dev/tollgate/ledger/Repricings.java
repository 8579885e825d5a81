package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes repriced calls back: each row gets its new cost, status, price version and reasons, keeps
 * what it said before (the first time only), and the daily totals and rollups move by exactly the
 * difference. One transaction per batch, and a row is only changed if it still says what the
 * repricer read, so an interrupted run loses nothing and a rerun (or a second repricer running at
 * the same time) never applies a change twice.
 */
public final class Repricings {
  private static final String UPDATE =
      "UPDATE calls SET "
          + String.join(
              ", ",
              java.util.Arrays.stream(CostComponent.values())
                  .map(c -> "cost_" + c.label() + " = ?")
                  .toList())
          + ", cost_total = ?, status = ?, price_version = ?, reasons = ?,"
          + " prev_status = COALESCE(prev_status, ?),"
          + " prev_price_version = COALESCE(prev_price_version, ?),"
          + " prev_cost_total = COALESCE(prev_cost_total, ?), repriced_ms = ?"
          // start_ms: on a partitioned ledger (V20) the row is looked for in its month only.
          + " WHERE id = ? AND start_ms = ? AND status = ? AND price_version = ? AND cost_total = ?";

  /** A call as it was read, and as it is to be. */
  public record Change(Call before, Call after) {}

  private final DataSource db;

  public Repricings(DataSource db) {
    this.db = db;
  }

  /** Applies the changes in one transaction; returns those that were applied. */
  public List<Change> apply(List<Change> changes) throws SQLException {
    List<Change> applied = new java.util.ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement(UPDATE);
          PreparedStatement daily = c.prepareStatement(LedgerRows.UPSERT_DAILY)) {
        Map<LedgerRows.DailyKey, Tally> deltas = new HashMap<>();
        // A rollup keyed by status moves a repriced call from its old row to its new one.
        RollupSums rolled = new RollupSums();
        for (Change ch : changes) {
          bind(update, ch);
          if (update.executeUpdate() == 1) {
            applied.add(ch);
            deltas
                .computeIfAbsent(LedgerRows.DailyKey.of(ch.before()), k -> new Tally())
                .subtract(ch.before())
                .add(ch.after());
            rolled.subtract(ch.before());
            rolled.add(ch.after());
          }
        }
        rolled.write(c);
        for (Map.Entry<LedgerRows.DailyKey, Tally> d : deltas.entrySet()) {
          LedgerRows.bindDaily(daily, d.getKey(), d.getValue());
          daily.addBatch();
        }
        daily.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    return applied;
  }

  private static void bind(PreparedStatement p, Change ch) throws SQLException {
    Call before = ch.before();
    Call after = ch.after();
    Call.Before was = after.charge().before();
    int i = 1;
    for (CostComponent component : CostComponent.values()) {
      p.setLong(i++, Money.toPico(after.cost().get(component)));
    }
    p.setLong(i++, Money.toPico(after.cost().total()));
    p.setString(i++, after.status().label());
    p.setString(i++, LedgerRows.text(after.charge().priceVersion()));
    List<Reason> reasons = after.charge().reasons();
    p.setString(i++, LedgerRows.json(reasons.stream().map(Object::toString).toList()));
    p.setString(i++, was.status().label());
    p.setString(i++, LedgerRows.text(was.priceVersion()));
    p.setLong(i++, Money.toPico(was.costTotal()));
    p.setLong(i++, was.repricedAt().toEpochMilli());
    p.setString(i++, before.id());
    p.setLong(i++, before.start().toEpochMilli());
    p.setString(i++, before.status().label());
    p.setString(i++, LedgerRows.text(before.charge().priceVersion()));
    p.setLong(i, Money.toPico(before.cost().total()));
  }
}
