package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.Repricings;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.reprice.RepriceResult;
import dev.tollgate.reprice.Repricer;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate reprice}: prices again the calls recorded unpriced (or estimated for a missing
 * tier or price version) with the catalog as now known, at each call's own time. Works on the
 * ledger directly, with the server up or down; safe to interrupt and run again.
 */
@Command(
    name = "reprice",
    mixinStandardHelpOptions = true,
    description =
        "Price again the calls recorded unpriced, now that the catalog knows their model.")
final class RepriceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "First day, UTC.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "Day after the last, UTC (exclusive).")
  String to;

  @Option(names = "--model", paramLabel = "MODEL", description = "Only calls of this model.")
  String model;

  @Option(names = "--dry-run", description = "Show what would change; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      SpendQuery range = SpendQuery.parse(from, to, null, null);
      TollgateConfig config = configOption.load();
      RepriceResult result;
      try (Database db = Database.openExisting(config.ledger(), config.dataDir())) {
        var catalog = Catalogs.of(config, db);
        result =
            new Repricer(
                    new LedgerReader(db.dataSource()),
                    new Repricings(db.dataSource()),
                    Clock.systemUTC())
                .run(catalog, range.from(), range.to(), model, dryRun, change -> {});
      }
      out.print(result.table());
      out.flush();
      return 0;
    } catch (SpendQuery.Invalid | ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (SQLException e) {
      return OneLine.fail(spec, "ledger error: " + e.getMessage(), 1);
    }
  }
}
