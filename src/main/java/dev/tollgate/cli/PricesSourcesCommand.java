package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.PriceSourceConfig;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.ledger.PriceSources;
import dev.tollgate.sync.SyncedCatalog;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate prices sources}: each synced price source, where it is read from and how its last
 * fetch went (as the ledger recorded it, so it answers for every replica, server up or down).
 */
@Command(
    name = "sources",
    mixinStandardHelpOptions = true,
    description =
        "Each synced price source: its location, last fetch, status, the models it prices and the"
            + " models it skipped, with why.")
final class PricesSourcesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  @Option(
      names = "--models",
      description =
          "Also list every synced entry: the model, the entry (source and key) and the provider"
              + " whose calls it prices.")
  boolean models;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      TollgateConfig config = configOption.load();
      if (config.pricing().sources().isEmpty()) {
        out.println("No price sources are configured (pricing.sources).");
        out.flush();
        return 0;
      }
      if (!Database.exists(config.ledger(), config.dataDir())) {
        for (PriceSourceConfig s : config.pricing().sources()) {
          out.printf("%s (%s) %s%n  never fetched here%n", s.name(), s.format(), s.location());
        }
        out.printf("(no ledger at %s yet)%n", Database.file(config.dataDir()));
        out.flush();
        return 0;
      }
      try (Database db = Database.open(config.ledger(), config.dataDir())) {
        print(config, new PriceSources(db), out);
        if (models) {
          placements(new PriceHistory(db), config, out);
        }
      }
      out.flush();
      return 0;
    } catch (ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (SQLException e) {
      return OneLine.fail(spec, "cannot read the price sources: " + e.getMessage(), 1);
    }
  }

  private static void print(TollgateConfig config, PriceSources statuses, PrintWriter out)
      throws SQLException {
    Map<String, PriceSources.Status> byName = new HashMap<>();
    for (PriceSources.Status s : statuses.list()) {
      byName.put(s.source(), s);
    }
    out.printf("sync %s%n", config.pricing().sync() ? "on" : "off (air-gapped)");
    for (PriceSourceConfig c : config.pricing().sources()) {
      PriceSources.Status s = byName.get(c.name());
      out.printf("%s (%s, every %s) %s%n", c.name(), c.format(), c.refresh(), c.location());
      if (s == null) {
        out.println("  not fetched yet");
        continue;
      }
      out.printf(
          "  last fetch %s: %s%s%n",
          s.fetched(), s.status(), s.message() == null ? "" : " (" + s.message() + ")");
      out.printf("  %d models priced, %d skipped%n", s.models(), s.skipped().size());
      s.skipped().forEach((model, why) -> out.printf("    skipped %s: %s%n", model, why));
    }
  }

  private static void placements(PriceHistory history, TollgateConfig config, PrintWriter out)
      throws SQLException {
    out.printf("%n%-36s %-52s %-16s %s%n", "model", "entry", "provider", "prices");
    for (SyncedCatalog.Placement p :
        SyncedCatalog.placements(history, config.pricing().sourceNames())) {
      out.printf(
          "%-36s %-52s %-16s %s%n",
          p.model(),
          p.source() + ":" + p.key(),
          p.provider(),
          p.onlyFor() == null ? "anywhere" : "calls sent to " + p.onlyFor());
    }
  }
}
