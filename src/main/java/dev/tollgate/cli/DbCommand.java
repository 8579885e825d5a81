package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.Migrations;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.MigrationInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tollgate db info|migrate}: the ledger's schema migrations (Flyway). */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = "The ledger database's schema.",
    subcommands = {DbCommand.Info.class, DbCommand.Migrate.class})
final class DbCommand {

  static int print(CommandSpec spec, Database db) {
    PrintWriter out = spec.commandLine().getOut();
    String row = "%-8s %-28s %-9s %-14s %s%n";
    out.printf(row, "VERSION", "DESCRIPTION", "TYPE", "STATE", "INSTALLED");
    int pending = 0;
    for (MigrationInfo m : Migrations.info(db)) {
      out.printf(
          row,
          m.getVersion() == null ? "" : m.getVersion().getVersion(),
          m.getDescription(),
          m.getType(),
          m.getState().getDisplayName(),
          m.getInstalledOn() == null ? "" : m.getInstalledOn().toInstant().toString());
      if (m.getState() == org.flywaydb.core.api.MigrationState.PENDING) {
        pending++;
      }
    }
    out.println(pending == 0 ? "schema up to date" : pending + " migration(s) pending");
    out.flush();
    return 0;
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Every migration: applied (when) or pending. Changes nothing.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      try {
        TollgateConfig c = config.load();
        try (Database db = Database.open(c.ledger(), c.dataDir(), false)) {
          return print(spec, db);
        }
      } catch (ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), 2);
      } catch (RuntimeException e) {
        return OneLine.fail(spec, "cannot read the schema history: " + e.getMessage(), 1);
      }
    }
  }

  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description =
          "Apply the pending migrations now (serve does it at start; replicas starting together"
              + " migrate once).")
  static final class Migrate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      // Opening the ledger migrates it; what is left to do is to show the result.
      return config.withLedger(spec, (c, db, out) -> print(spec, db));
    }
  }
}
