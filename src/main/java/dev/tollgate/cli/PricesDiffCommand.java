package dev.tollgate.cli;

import dev.tollgate.call.Money;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Rates;
import dev.tollgate.sync.SyncedCatalog;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate prices diff}: where a synced source's latest price disagrees with the curated
 * catalog for a model both name (the curated price is the one that prices calls).
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "List where the synced price sources disagree with the curated catalog (as of their last sync).")
final class PricesDiffCommand implements Callable<Integer> {
  private static final Map<String, Function<Rates, BigDecimal>> FIELDS =
      Map.of("input", Rates::input, "cached_input", Rates::cachedInput, "output", Rates::output);

  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      TollgateConfig config = configOption.load();
      PriceCatalog curated = Catalogs.curated(config);
      PriceCatalog synced;
      Map<String, SyncedCatalog.Placement> entries = new HashMap<>(); // source + model -> entry
      try (Database db = Database.open(config.ledger(), config.dataDir())) {
        synced = Catalogs.synced(config, db);
        for (SyncedCatalog.Placement p :
            SyncedCatalog.placements(new PriceHistory(db), config.pricing().sourceNames())) {
          if (p.onlyFor() == null) {
            entries.putIfAbsent(p.source() + '\n' + p.model(), p);
          }
        }
      }
      Instant now = Instant.now();
      int differences = 0;
      out.printf(
          "%-32s %-14s %12s %12s  %s%n", "model", "field", "curated", "source", "entry (provider)");
      for (ModelPrice s : new TreeMap<>(synced.models()).values()) {
        Optional<ModelPrice> c = curated.resolve(s.name());
        if (c.isEmpty()) {
          continue;
        }
        SyncedCatalog.Placement entry = entries.get(s.source() + '\n' + s.name());
        String from =
            entry == null
                ? s.source()
                : entry.source() + ":" + entry.key() + " (" + entry.provider() + ")";
        Rates mine = c.get().versionAt(now).rates();
        Rates theirs = s.versionAt(now).rates();
        for (Map.Entry<String, Function<Rates, BigDecimal>> f : new TreeMap<>(FIELDS).entrySet()) {
          BigDecimal a = f.getValue().apply(mine);
          BigDecimal b = f.getValue().apply(theirs);
          if (a.compareTo(b) != 0) {
            differences++;
            out.printf(
                "%-32s %-14s %12s %12s  %s%n",
                s.name(), f.getKey(), Money.format(a), Money.format(b), from);
          }
        }
      }
      out.printf(
          "%d differences (USD per 1M tokens; the curated price is the one in force)%n",
          differences);
      out.flush();
      return 0;
    } catch (ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (SQLException e) {
      return OneLine.fail(spec, "cannot read the price history: " + e.getMessage(), 1);
    }
  }
}
