package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerCopy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate ledger copy}: move a ledger's history to another database. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Work on the ledger database itself.",
    subcommands = {LedgerCommand.Copy.class})
final class LedgerCommand {

  @Command(
      name = "copy",
      mixinStandardHelpOptions = true,
      description =
          "Copy every call, total, rollup, price, budget, alert, quota, viewer and key from one ledger to"
              + " another (SQLite to PostgreSQL, or back), resumably, then compare counts and sums."
              + " Stop the servers writing to the source first.")
  static final class Copy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "URL",
        description = "The ledger to copy: jdbc:sqlite:/path/ledger.db or jdbc:postgresql://...")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "URL",
        description = "Where to (created and migrated if empty; a copy cut short resumes).")
    String to;

    @Option(
        names = "--from-password-env",
        paramLabel = "VAR",
        description = "Environment variable holding the source database's password.")
    String fromPasswordEnv;

    @Option(
        names = "--to-password-env",
        paramLabel = "VAR",
        description = "Environment variable holding the target database's password.")
    String toPasswordEnv;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (from.equals(to)) {
        return OneLine.fail(spec, "--from and --to name the same ledger", 2);
      }
      try (Database source = open(from, fromPasswordEnv);
          Database target = open(to, toPasswordEnv)) {
        LedgerCopy copy = new LedgerCopy(source, target);
        long start = System.nanoTime();
        copy.copy(
            line -> {
              out.println(line);
              out.flush();
            });
        out.printf("copied in %.1f s; checking%n", (System.nanoTime() - start) / 1e9);
        List<LedgerCopy.Check> checks = copy.verify();
        String row = "%-16s %-22s %24s %24s %s%n";
        out.printf(row, "TABLE", "MEASURE", "SOURCE", "TARGET", "");
        boolean same = true;
        for (LedgerCopy.Check c : checks) {
          out.printf(
              row, c.table(), c.measure(), c.source(), c.target(), c.same() ? "ok" : "DIFFERS");
          same &= c.same();
        }
        out.println(same ? "the two ledgers agree" : "the ledgers differ: see DIFFERS above");
        out.flush();
        return same ? 0 : 1;
      } catch (ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), 2);
      } catch (SQLException e) {
        return OneLine.fail(spec, "copy stopped (run it again to resume): " + e.getMessage(), 1);
      }
    }

    private static Database open(String url, String passwordEnv) {
      Optional<String> password =
          passwordEnv == null ? Optional.empty() : Optional.ofNullable(System.getenv(passwordEnv));
      if (passwordEnv != null && password.isEmpty()) {
        throw new ConfigException(passwordEnv + " is not set");
      }
      LedgerConfig config =
          new LedgerConfig(
              Optional.of(url),
              Duration.ofMillis(100),
              2000,
              1000,
              0,
              2,
              LedgerConfig.DEFAULT_STALL_TIMEOUT,
              password);
      return Database.open(config, Path.of("."));
    }
  }
}
