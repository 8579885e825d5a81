package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that reads the config shares (a picocli mixin). */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Config file (default: config/tollgate.yaml if it exists, else the built-in defaults;"
              + " a file named here must exist).")
  Path file;

  /** The config as the environment and the file (or the defaults) say. */
  TollgateConfig load() {
    return new ConfigLoader(System.getenv()).loadOrDefaults(file);
  }

  /** What a command does with the ledger its config names. */
  interface LedgerWork {
    int run(TollgateConfig config, Database db, PrintWriter out) throws SQLException;
  }

  /**
   * Opens the ledger the config names, runs {@code work} and flushes what it printed; a bad config
   * is one line and code 2, a ledger error one line and code 1.
   */
  int withLedger(CommandSpec spec, LedgerWork work) {
    try {
      TollgateConfig config = load();
      try (Database db = Database.open(config.ledger(), config.dataDir())) {
        int code = work.run(config, db, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return code;
      }
    } catch (ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    } catch (SQLException e) {
      return OneLine.fail(spec, "ledger error: " + e.getMessage(), 1);
    }
  }
}
