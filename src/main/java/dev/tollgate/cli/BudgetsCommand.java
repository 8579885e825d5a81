package dev.tollgate.cli;

import dev.tollgate.budget.Budget;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.BudgetDefinitions;
import dev.tollgate.budget.BudgetStatuses;
import dev.tollgate.call.Money;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.BudgetLedger;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate budgets list | set | rm}: budgets straight from the ledger database (works while
 * the server is down; a running server picks changes up at its next sync).
 */
@Command(
    name = "budgets",
    mixinStandardHelpOptions = true,
    description = "List, set or remove budgets (see docs/BUDGETS.md).",
    subcommands = {
      BudgetsCommand.ListBudgets.class,
      BudgetsCommand.Set.class,
      BudgetsCommand.Remove.class
    })
final class BudgetsCommand {
  private BudgetsCommand() {}

  /** Runs {@code work} on the budgets of the ledger the config names. */
  static int withLedger(CommandSpec spec, ConfigOption option, LedgerWork work) {
    return option.withLedger(
        spec, (config, db, out) -> work.run(config, new BudgetLedger(db.dataSource()), out));
  }

  interface LedgerWork {
    int run(TollgateConfig config, BudgetLedger ledger, PrintWriter out) throws SQLException;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every budget with its limit, spend this period and when the period ends.")
  static final class ListBudgets implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      return withLedger(
          spec,
          config,
          (cfg, ledger, out) -> {
            String row = "%-22s %-26s %-10s %-5s %-5s %12s %12s %12s %12s %14s  %s%n";
            out.printf(
                row,
                "NAME",
                "SCOPE",
                "PERIOD",
                "MODE",
                "FROM",
                "LIMIT",
                "SPENT",
                "RESERVED",
                "REMAINING",
                "REPLICA SHARES",
                "RESETS");
            for (BudgetBook.Status st :
                BudgetStatuses.fromLedger(cfg.budgets(), ledger, Instant.now())) {
              Budget b = st.budget();
              out.printf(
                  row,
                  b.name(),
                  b.scope(),
                  b.period(),
                  b.hard() ? "hard" : "soft",
                  b.fromFile() ? "file" : "api",
                  "$" + usd(b.limitPico()),
                  "$" + usd(st.spentPico()),
                  "$" + usd(st.reservedPico()),
                  "$" + usd(st.remainingPico()),
                  "$" + usd(st.sharesPico()),
                  st.window().end());
            }
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Define or change a budget (stored in the ledger; every replica enforces it).")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--scope",
        required = true,
        description = "team:, project:, key:, user:NAME or tag:NAME=VALUE")
    String scope;

    @Option(names = "--limit-usd", required = true, paramLabel = "USD")
    String limit;

    @Option(
        names = "--period",
        defaultValue = "month",
        description = "day, week or month (default: ${DEFAULT-VALUE})")
    String period;

    @Option(
        names = "--from",
        paramLabel = "YYYY-MM-DD",
        description = "A fixed range instead of a period: first day")
    String from;

    @Option(
        names = "--to",
        paramLabel = "YYYY-MM-DD",
        description = "... and the day after the last")
    String to;

    @Option(names = "--timezone", defaultValue = "UTC")
    String timezone;

    @Option(names = "--soft", description = "Only alert, never refuse.")
    boolean soft;

    @Option(
        names = "--alerts",
        split = ",",
        paramLabel = "PERCENT",
        description =
            "e.g. 50,80,100,forecast (forecast: the period-end forecast crosses the limit)")
    List<String> alerts;

    @Override
    public Integer call() {
      return withLedger(
          spec,
          config,
          (cfg, ledger, out) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("scope", scope);
            d.put("limit_usd", limit);
            if (from != null || to != null) {
              d.put("from", from);
              d.put("to", to);
            } else {
              d.put("period", period);
            }
            d.put("timezone", timezone);
            d.put("enforce", soft ? "soft" : "hard");
            if (alerts != null) {
              d.put("alerts", alerts);
            }
            String json =
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(d).toString();
            Budget b = BudgetDefinitions.fromJson(name, json, cfg.budgets().alerts());
            if (BudgetDefinitions.load(cfg.budgets().file(), List.of()).stream()
                .anyMatch(f -> f.name().equals(name))) {
              throw new ConfigException(
                  "budget '"
                      + name
                      + "' is defined in "
                      + cfg.budgets().file()
                      + ": change it there");
            }
            ledger.define(name, BudgetDefinitions.toJson(b));
            spec.commandLine()
                .getErr()
                .println("Budget '" + name + "' set: " + BudgetDefinitions.toJson(b));
            spec.commandLine().getErr().flush();
            return 0;
          });
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Remove a budget set with `set` or the API.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return withLedger(
          spec,
          config,
          (cfg, ledger, out) -> {
            if (!ledger.remove(name)) {
              throw new ConfigException("no budget named '" + name + "' in the ledger");
            }
            spec.commandLine().getErr().println("Budget '" + name + "' removed.");
            spec.commandLine().getErr().flush();
            return 0;
          });
    }
  }

  private static String usd(long pico) {
    return Money.format(Money.fromPico(pico));
  }
}
