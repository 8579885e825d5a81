package dev.tollgate.reconcile;

import dev.tollgate.call.Call;
import dev.tollgate.ledger.LedgerReader;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** One run: the provider's bill for some days, the ledger's calls to it, and what differs. */
public final class Reconciliation {
  private Reconciliation() {}

  /**
   * @param from first day (UTC)
   * @param to the day after the last
   */
  public static List<Finding> run(
      OpenAiBill bill,
      LedgerReader ledger,
      LocalDate from,
      LocalDate to,
      Reconciler.Tolerance tolerance,
      java.util.Map<String, String> projectTeams)
      throws IOException, InterruptedException, SQLException {
    ProviderBill provider = bill.read(from, to);
    List<Call> calls = new ArrayList<>();
    ledger.calls(
        from,
        to,
        c -> {
          // Only calls sent to OpenAI itself: the default upstream, recorded as "openai" (or
          // before providers were recorded).
          String p = c.served().provider();
          if (p == null || p.isEmpty() || p.equals("openai")) {
            calls.add(c);
          }
        });
    return Reconciler.compare(provider, calls, tolerance, projectTeams);
  }
}
