package dev.tollgate.budget;

import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.ledger.BudgetLedger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every budget's status read straight from budgets.yaml and the ledger, for commands that run
 * beside the servers or without them ({@code budgets list}, {@code report}): spend from the ledger,
 * and the reservations and shares the live replicas last published, the same numbers {@code GET
 * /admin/budgets} shows.
 */
public final class BudgetStatuses {
  private BudgetStatuses() {}

  public static List<BudgetBook.Status> fromLedger(
      BudgetsConfig config, BudgetLedger ledger, Instant now) throws SQLException {
    List<Budget> all =
        BudgetDefinitions.inForce(
            BudgetDefinitions.load(config.file(), config.alerts()),
            ledger.definitions(),
            config.alerts(),
            bad -> {
              throw bad; // a command run by hand says so, where the server logs and goes on
            });
    List<BudgetBook.Status> out = new ArrayList<>();
    for (Budget b : all) {
      Period.Window w = b.period().window(now);
      long spent =
          ledger.spent(b.scope().kind(), b.scope().tag(), b.scope().value(), w.start(), w.end());
      BudgetLedger.Others live =
          ledger.holds(
              b.name(), w.start().toEpochMilli(), now.toEpochMilli() - config.lease().toMillis());
      int replicas = Math.max(1, live.replicas());
      out.add(
          new BudgetBook.Status(
              b, w, spent, live.heldPico(), replicas, replicas > 1 ? live.sharesPico() : 0));
    }
    return out;
  }
}
