package dev.tollgate.cli;

import picocli.CommandLine.Command;

/** The top-level {@code tollgate} command; its subcommands do the work. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "OpenAI-compatible cost-tracking reverse proxy.",
    subcommands = {
      ServeCommand.class,
      PricesCommand.class,
      KeysCommand.class,
      ReportCommand.class,
      MockUpstreamCommand.class,
      DemoCommand.class,
      RepriceCommand.class,
      HealthCommand.class,
      BudgetsCommand.class,
      ReconcileCommand.class,
      ViewersCommand.class,
      ExportCommand.class,
      LedgerCommand.class,
      DbCommand.class
    })
final class TollgateCommand {}
