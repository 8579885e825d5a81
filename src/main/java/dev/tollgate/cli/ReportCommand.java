package dev.tollgate.cli;

import dev.tollgate.budget.BudgetStatuses;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.BudgetLedger;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.report.ReportRenderer;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReport;
import dev.tollgate.report.SpendReports;
import dev.tollgate.report.TeamBudget;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate report}: chargeback straight from the ledger (works while the server is down).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Spend by team, project, user, key, provider, model, api, service_tier (tier), status,"
            + " tag:<name>, day or month; any of them also filters.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  @Mixin DayRange days;

  @Option(
      names = {"-g", "--group-by"},
      paramLabel = "KEYS",
      defaultValue = "team",
      description =
          "Comma-separated: team, project, user, key, provider, model, api, service_tier (or"
              + " tier), status, tag:<name>, day, hour, month.")
  String groupBy;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--filter",
      paramLabel = "KEY=VALUE",
      description =
          "Only the calls with this value (repeatable): team=search, provider=openai,"
              + " project=(none) for calls without one, tag:env=prod.")
  java.util.List<String> filters = java.util.List.of();

  @Option(
      names = "--forecast",
      description =
          "Instead: month-end spend per team, in total and per budget, from the last 7 days' run-rate.")
  boolean forecast;

  @Option(
      names = "--what-if",
      paramLabel = "model=NAME|tier=TIER",
      description = "Also reprice the same calls at another model's or tier's current prices.")
  String whatIf;

  @Override
  public Integer call() {
    try {
      if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
        throw new SpendQuery.Invalid(
            "format", "--format must be table, csv or json, got '" + format + "'");
      }
      SpendQuery query = SpendQuery.parse(days.fromOrMonth(), days.toOrMonthEnd(), groupBy, whatIf);
      for (String f : filters) {
        int eq = f.indexOf('=');
        if (eq <= 0) {
          throw new SpendQuery.Invalid("filter", "--filter must be KEY=VALUE, got '" + f + "'");
        }
        query = query.where(f.substring(0, eq), f.substring(eq + 1));
      }
      TollgateConfig config = configOption.load();
      if (forecast) {
        return forecast(config);
      }
      SpendReport report;
      try (Database db = Database.openExisting(config.ledger(), config.dataDir())) {
        PriceCatalog catalog = Catalogs.of(config, db);
        report =
            new SpendReports(new LedgerReader(db.dataSource()), () -> catalog)
                .run(query)
                .withBudgets(
                    TeamBudget.of(
                        BudgetStatuses.fromLedger(
                            config.budgets(),
                            new BudgetLedger(db.dataSource()),
                            java.time.Instant.now())));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          switch (format) {
            case "csv" -> ReportRenderer.csv(report);
            case "json" -> ReportRenderer.json(report) + "\n";
            default -> ReportRenderer.table(report);
          });
      out.flush();
      return 0;
    } catch (SpendQuery.Invalid | ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (SQLException e) {
      return OneLine.fail(spec, "cannot read the ledger: " + e.getMessage(), 1);
    }
  }

  private int forecast(TollgateConfig config) throws SQLException {
    dev.tollgate.report.Forecasts.Forecast f;
    try (Database db = Database.openExisting(config.ledger(), config.dataDir())) {
      PriceCatalog catalog = Catalogs.of(config, db);
      BudgetLedger budgets = new BudgetLedger(db.dataSource());
      java.time.Instant now = java.time.Instant.now();
      f =
          new dev.tollgate.report.Forecasts(
                  new SpendReports(new LedgerReader(db.dataSource()), () -> catalog),
                  (b, from, to) ->
                      budgets.spent(b.scope().kind(), b.scope().tag(), b.scope().value(), from, to))
              .of(now, null, BudgetStatuses.fromLedger(config.budgets(), budgets, now));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      out.println(dev.tollgate.report.ForecastRenderer.json(f));
    } else {
      out.printf(
          "Forecast for %s from the run-rate of %s to %s (%d days, UTC; to exclusive)%n",
          f.month().toString().substring(0, 7),
          f.basisFrom(),
          f.basisTo(),
          dev.tollgate.report.Forecasts.BASIS_DAYS);
      String row = "%-28s %14s %14s %14s %12s%n";
      out.printf(row, "TEAM / BUDGET", "SPENT", "PER DAY", "FORECAST", "LIMIT");
      for (var l : f.teams()) {
        out.printf(row, l.name(), usd(l.spent()), usd(l.dailyRate()), usd(l.forecast()), "");
      }
      var t = f.total();
      out.printf(row, "(total)", usd(t.spent()), usd(t.dailyRate()), usd(t.forecast()), "");
      for (var l : f.budgets()) {
        out.printf(
            row,
            "budget " + l.name() + (l.crosses() ? " (crosses)" : ""),
            usd(l.spent()),
            usd(l.dailyRate()),
            usd(l.forecast()),
            usd(l.limit()));
      }
    }
    out.flush();
    return 0;
  }

  private static String usd(java.math.BigDecimal v) {
    return "$" + dev.tollgate.call.Money.format(v);
  }
}
