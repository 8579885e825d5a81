package dev.tollgate.server;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.console.Sessions;
import dev.tollgate.ledger.BudgetLedger;
import dev.tollgate.ledger.ViewerTokens;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.report.TeamBudget;
import java.time.Clock;
import java.util.concurrent.Executor;

/** Builds the admin port's handler from the services: who may call, and what answers. */
final class AdminWiring {
  private AdminWiring() {}

  static AdminHandler handler(
      TollgateConfig config, Services services, Traffic traffic, Executor executor) {
    Clock clock = Clock.systemUTC();
    BudgetLedger budgetLedger = new BudgetLedger(services.database.dataSource());
    AdminBudgets budgets =
        new AdminBudgets(services.budgets, services.budgetSync, budgetLedger, config.budgets());
    AdminQueries queries =
        new AdminQueries(
            services.ledgerReader,
            services.reports,
            services.repricing,
            () -> TeamBudget.of(budgets.statuses()),
            () -> services.jobLeases.lastResult("reconcile").orElse(null));
    AdminAuth auth =
        new AdminAuth(
            config.admin(),
            new ViewerTokens(services.database.dataSource()),
            new Sessions(
                config.admin().console().sessionSecret(),
                config.admin().token(),
                config.admin().console().sessionTtl()),
            clock);
    AdminRoutes routes =
        new AdminRoutes(
            auth,
            queries,
            new AdminKeys(services.keyStore, services::reloadKeys),
            budgets,
            new AdminPrices(config.pricing(), services.priceSources),
            java.util.List.of(
                new AdminPriceList(services.catalog::catalog, clock),
                new AdminJobs(services.jobLeases, services.jobs.replica(), clock),
                new AdminForecast(
                    new dev.tollgate.report.Forecasts(
                        services.reports,
                        (b, from, to) ->
                            budgetLedger.spent(
                                b.scope().kind(), b.scope().tag(), b.scope().value(), from, to)),
                    budgets::statuses,
                    clock)),
            new AdminExport(new dev.tollgate.report.FocusExport(services.ledgerReader)));
    return new AdminHandler(
        config.admin(),
        traffic,
        services.metrics,
        services.ledgerWriter::healthy,
        routes,
        new AdminConsole(config.admin().console(), auth, clock),
        executor);
  }
}
