package dev.tollgate.cli;

import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.KeyFile;
import dev.tollgate.attribution.KeyStore;
import dev.tollgate.config.ConfigException;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.KeyRecords;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tollgate keys new | list | revoke}: look after virtual keys in {@code keys.yaml}. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage Tollgate virtual keys (the keys file holds only their hashes).",
    subcommands = {KeysCommand.New.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
  private KeysCommand() {}

  /** Which keys file: {@code --file}, else the config's {@code attribution.keys_file}. */
  static final class FileOption {
    @Mixin ConfigOption config;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description =
            "Keys file (default: the config's attribution.keys_file or TOLLGATE_KEYS_FILE,"
                + " config/keys.yaml out of the box).")
    Path file;

    /**
     * {@code --file}, else where the config keeps keys: the ledger database when it is shared
     * (PostgreSQL: every replica reads it), else {@code attribution.keys_file}.
     */
    KeyStore keyFile() {
      if (file != null) {
        return new KeyFile(file, Clock.systemUTC());
      }
      var c = config.load();
      if (c.ledger().url().filter(u -> u.startsWith("jdbc:postgresql:")).isPresent()) {
        // Left open: the command ends the process (Main exits), which closes the pool.
        Database db = Database.open(c.ledger(), c.dataDir());
        return new KeyRecords(db.dataSource(), Clock.systemUTC());
      }
      return new KeyFile(c.attribution().keysFile(), Clock.systemUTC());
    }
  }

  /** Runs {@code work}; a refused change or a bad file is one line on stderr and exit code 2. */
  static int run(CommandSpec spec, Callable<Integer> work) throws Exception {
    try {
      return work.call();
    } catch (KeyFile.Refused | ConfigException | IllegalArgumentException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    }
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Create a virtual key: prints the secret once and appends its hash to the keys file.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;

    @Option(names = "--team", required = true, description = "Team its calls are charged to.")
    String team;

    @Option(names = "--project", description = "Project its calls are charged to.")
    String project;

    @Option(names = "--user", description = "End user its calls are charged to.")
    String user;

    @Option(
        names = "--name",
        description = "The key's name in reports, unique (default: <team>-<date>).")
    String name;

    @Option(
        names = "--expires",
        paramLabel = "WHEN",
        description = "Refused from then on: a date (2027-01-31, UTC), an instant, or 90d.")
    String expires;

    @Override
    public Integer call() throws Exception {
      return run(
          spec,
          () -> {
            Instant until = expires == null ? null : KeyFile.parseExpiry(expires, Instant.now());
            KeyStore keys = file.keyFile();
            KeyFile.Issued issued =
                keys.issue(new KeyFile.NewKey(team, project, user, name, until));
            spec.commandLine().getOut().println(issued.secret());
            spec.commandLine().getOut().flush();
            spec.commandLine()
                .getErr()
                .println(
                    "Key '"
                        + issued.entry().name()
                        + "' for team "
                        + team
                        + " added to "
                        + keys.where()
                        + ". The secret above is shown once; Tollgate keeps only its hash.");
            spec.commandLine().getErr().flush();
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys in the keys file (names and owners; never secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;

    @Override
    public Integer call() throws Exception {
      return run(
          spec,
          () -> {
            List<KeyEntry> entries = file.keyFile().list();
            PrintWriter out = spec.commandLine().getOut();
            String row = "%-24s %-11s %-14s %-14s %-12s %-10s %-20s %s%n";
            out.printf(
                row, "NAME", "KIND", "TEAM", "PROJECT", "USER", "CREATED", "EXPIRES", "STATE");
            Instant now = Instant.now();
            for (KeyEntry e : entries) {
              out.printf(
                  row,
                  dash(e.name()),
                  e.virtual() ? "virtual" : "passthrough",
                  e.team(),
                  dash(e.project()),
                  dash(e.user()),
                  dash(e.created()),
                  e.expires() == null ? "-" : e.expires().toString(),
                  e.revoked() ? "revoked" : e.expiredAt(now) ? "expired" : "active");
            }
            out.flush();
            return 0;
          });
    }

    private static String dash(String s) {
      return s == null ? "-" : s;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a key by name: its calls get 401 from the next reload on (within seconds).")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;

    @Parameters(paramLabel = "NAME", description = "The key's name, as `keys list` shows it.")
    String name;

    @Override
    public Integer call() throws Exception {
      return run(
          spec,
          () -> {
            KeyStore keys = file.keyFile();
            int n = keys.revoke(name);
            spec.commandLine()
                .getErr()
                .println("Revoked '" + name + "'" + (n > 1 ? " (" + n + " entries)" : "") + ".");
            spec.commandLine().getErr().flush();
            return 0;
          });
    }
  }
}
