package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.report.FocusExport;
import dev.tollgate.report.SpendQuery;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate export focus}: the ledger as a FOCUS file, read straight from the ledger. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export the ledger for other tools.",
    subcommands = {ExportCommand.Focus.class})
final class ExportCommand {

  @Command(
      name = "focus",
      mixinStandardHelpOptions = true,
      description =
          "A FOCUS cost and usage file: one row per day x team x project x key x model x meter x"
              + " tier (docs/FOCUS.md).")
  static final class Focus implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption configOption;

    @Mixin DayRange days;

    @Option(
        names = "--focus-version",
        defaultValue = "1.2",
        description = "FOCUS version (written: 1.2; default: ${DEFAULT-VALUE}).")
    String version;

    @Option(
        names = "--format",
        defaultValue = "csv",
        description = "csv or csv.gz (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--team", description = "Only this team's rows (default: every team).")
    String team;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write here (whole or not at all) instead of standard output.")
    Path out;

    @Override
    public Integer call() {
      try {
        FocusExport.check(version, format);
        SpendQuery range = SpendQuery.parse(days.fromOrMonth(), days.toOrMonthEnd(), null, null);
        TollgateConfig config = configOption.load();
        try (Database db = Database.openExisting(config.ledger(), config.dataDir())) {
          FocusExport export = new FocusExport(new LedgerReader(db.dataSource()));
          if (out == null) {
            OutputStream stdout = new BufferedOutputStream(System.out, 64 * 1024);
            export.write(range.from(), range.to(), team, format, stdout);
            stdout.flush();
          } else {
            toFile(export, range);
          }
        }
        return 0;
      } catch (FocusExport.Invalid | SpendQuery.Invalid | ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), 2);
      } catch (SQLException e) {
        return OneLine.fail(spec, "cannot read the ledger: " + e.getMessage(), 1);
      } catch (IOException e) {
        return OneLine.fail(spec, "cannot write " + out + ": " + e.getMessage(), 1);
      }
    }

    /** Written beside the target and moved over it, so a failed export leaves no half file. */
    private void toFile(FocusExport export, SpendQuery range) throws IOException, SQLException {
      Path target = out.toAbsolutePath();
      Path temp = target.resolveSibling(target.getFileName() + ".part");
      try (OutputStream o =
          new BufferedOutputStream(new FileOutputStream(temp.toFile()), 1 << 16)) {
        export.write(range.from(), range.to(), team, format, o);
      } catch (IOException | SQLException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
