package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ReconcileConfig;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.reconcile.Finding;
import dev.tollgate.reconcile.OpenAiBill;
import dev.tollgate.reconcile.ReconcileRenderer;
import dev.tollgate.reconcile.Reconciler;
import dev.tollgate.reconcile.Reconciliation;
import dev.tollgate.report.SpendQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate reconcile}: the ledger against the provider's own bill, per day and model. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "Compare the ledger with the provider's Costs and Usage APIs (see docs/RECONCILE.md).")
final class ReconcileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--provider", defaultValue = "openai", description = "Only openai so far.")
  String provider;

  @Option(
      names = "--from",
      paramLabel = "YYYY-MM-DD",
      description = "First day (default: yesterday, UTC).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "YYYY-MM-DD",
      description = "Day after the last (default: today).")
  String to;

  @Option(names = "--format", defaultValue = "table", description = "table, json or csv.")
  String format;

  @Option(
      names = "--url",
      description = "The provider API's base URL (default: the config's reconcile.url).")
  URI url;

  @Option(
      names = "--admin-key-env",
      description =
          "Environment variable holding an admin key (default: the config's"
              + " reconcile.admin_key_env, OPENAI_ADMIN_KEY).")
  String adminKeyEnv;

  @Option(names = "--tolerance-usd", description = "Rounding, in dollars (default: config, 0.01).")
  BigDecimal toleranceUsd;

  @Option(names = "--tolerance-percent", description = "Rounding, in percent (default: config, 1).")
  BigDecimal tolerancePercent;

  @Override
  public Integer call() throws InterruptedException {
    try {
      if (!provider.equals("openai")) {
        throw new ConfigException("--provider: only openai can be reconciled so far");
      }
      if (!format.equals("table") && !format.equals("json") && !format.equals("csv")) {
        throw new ConfigException("--format: table, json or csv, got '" + format + "'");
      }
      TollgateConfig cfg = config.load();
      ReconcileConfig rc = cfg.reconcile();
      String key = adminKeyEnv != null ? System.getenv(adminKeyEnv) : rc.adminKey().orElse(null);
      if (key == null || key.isBlank()) {
        throw new ConfigException(
            (adminKeyEnv != null ? adminKeyEnv : "OPENAI_ADMIN_KEY (reconcile.admin_key_env)")
                + " is not set: reconciling needs an OpenAI admin key (sk-admin-...)");
      }
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      SpendQuery range =
          SpendQuery.parse(
              from != null ? from : today.minusDays(1).toString(),
              to != null ? to : today.toString(),
              null,
              null);
      List<Finding> findings;
      try (Database db = Database.openExisting(cfg.ledger(), cfg.dataDir())) {
        findings =
            Reconciliation.run(
                new OpenAiBill(url != null ? url : rc.url(), key, Duration.ofSeconds(10)),
                new LedgerReader(db.dataSource()),
                range.from(),
                range.to(),
                new Reconciler.Tolerance(
                    toleranceUsd != null ? toleranceUsd : rc.toleranceUsd(),
                    tolerancePercent != null ? tolerancePercent : rc.tolerancePercent()),
                rc.projects());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          switch (format) {
            case "json" -> ReconcileRenderer.json(findings) + "\n";
            case "csv" -> ReconcileRenderer.csv(findings);
            default -> ReconcileRenderer.table(findings);
          });
      out.flush();
      return 0;
    } catch (ConfigException | SpendQuery.Invalid e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (IOException | SQLException e) {
      return OneLine.fail(spec, "reconcile failed: " + e.getMessage(), 1);
    }
  }
}
