package dev.tollgate.cli;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.UnpricedModel;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The second half of {@code tollgate prices check}: the models recent calls named that no price
 * covers, or that only an unconfirmed price does, so a cron job or CI can fail until they are
 * priced.
 */
final class ModelsToPrice {
  private ModelsToPrice() {}

  /** Prints them; returns how many models there are (0 also when there is no ledger). */
  static int report(TollgateConfig config, int days, PrintWriter out) throws SQLException {
    if (!Database.exists(config.ledger(), config.dataDir())) {
      out.printf(
          "No ledger at %s: no calls to check (point --config at the config `tollgate serve`"
              + " uses)%n",
          Database.file(config.dataDir()));
      return 0;
    }
    LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    LocalDate from = to.minusDays(days);
    List<UnpricedModel> unpriced;
    List<UnpricedModel> unconfirmed;
    try (Database db = Database.open(config.ledger(), config.dataDir())) {
      LedgerReader ledger = new LedgerReader(db.dataSource());
      unpriced = ledger.unpriced(from, to);
      unconfirmed = ledger.unconfirmed(from, to);
    }
    if (unpriced.isEmpty() && unconfirmed.isEmpty()) {
      out.printf("Every model called in the last %d days is priced and confirmed%n", days);
      return 0;
    }
    out.printf(
        "%nModels called in the last %d days without a confirmed price:%n%-36s %-12s %8s %14s %14s"
            + "  %s%n",
        days, "model", "status", "calls", "input tokens", "output tokens", "last call");
    print(unpriced, "unpriced", out);
    print(unconfirmed, "unconfirmed", out);
    out.printf(
        "%d models: add them to config/prices.yaml, or a price source that has them"
            + " (docs/PRICING.md)%n",
        unpriced.size() + unconfirmed.size());
    return unpriced.size() + unconfirmed.size();
  }

  private static void print(List<UnpricedModel> models, String status, PrintWriter out) {
    for (UnpricedModel m : models) {
      out.printf(
          "%-36s %-12s %8d %14d %14d  %s%n",
          m.model().isEmpty() ? "(none named)" : m.model(),
          status,
          m.calls(),
          m.inputTokens(),
          m.outputTokens(),
          m.lastSeen());
    }
  }
}
