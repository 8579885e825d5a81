package dev.tollgate.cli;

import dev.tollgate.ledger.ViewerTokens;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate viewers new | list | revoke}: read-only tokens for the spend console and the
 * admin API, one team's or every team's, kept in the ledger database (every replica knows them at
 * once).
 */
@Command(
    name = "viewers",
    mixinStandardHelpOptions = true,
    description = "Issue, list or revoke console viewer tokens (read-only; docs/CONSOLE.md).",
    subcommands = {
      ViewersCommand.New.class,
      ViewersCommand.ListViewers.class,
      ViewersCommand.Revoke.class
    })
final class ViewersCommand {
  private ViewersCommand() {}

  interface Work {
    int run(ViewerTokens viewers, PrintWriter out) throws SQLException;
  }

  static int withViewers(CommandSpec spec, ConfigOption option, Work work) {
    return option.withLedger(
        spec, (config, db, out) -> work.run(new ViewerTokens(db.dataSource()), out));
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = "Issue a viewer token for one team (--team) or every team (--all); shown once.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "The viewer's name (who it is for).")
    String name;

    static final class Scope {
      @Option(names = "--team", paramLabel = "TEAM", description = "The team it may read.")
      String team;

      @Option(names = "--all", description = "Every team.")
      boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    @Override
    public Integer call() {
      return withViewers(
          spec,
          config,
          (viewers, out) -> {
            try {
              ViewerTokens.Issued issued =
                  viewers.issue(name, scope.all ? null : scope.team, Instant.now());
              out.println(issued.token());
              spec.commandLine()
                  .getErr()
                  .printf(
                      "Viewer '%s' reads %s. The token above is shown once; sign in to /console/ with"
                          + " it, or send it as 'Authorization: Bearer ...' to the admin API.%n",
                      name, scope.all ? "every team" : "team '" + scope.team + "'");
              spec.commandLine().getErr().flush();
              return 0;
            } catch (ViewerTokens.Refused e) {
              return OneLine.fail(spec, e.getMessage(), 2);
            }
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every viewer (no tokens).")
  static final class ListViewers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      return withViewers(
          spec,
          config,
          (viewers, out) -> {
            String row = "%-24s %-20s %-22s %s%n";
            out.printf(row, "NAME", "READS", "CREATED", "STATE");
            for (ViewerTokens.Viewer v : viewers.list()) {
              out.printf(
                  row,
                  v.name(),
                  v.team() == null ? "(every team)" : v.team(),
                  v.created(),
                  v.valid() ? "valid" : "revoked " + v.revoked());
            }
            return 0;
          });
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a viewer: its token and its console sessions stop working at once.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return withViewers(
          spec,
          config,
          (viewers, out) -> {
            if (!viewers.revoke(name, Instant.now())) {
              return OneLine.fail(spec, "no valid viewer named '" + name + "'", 2);
            }
            out.printf("Viewer '%s' revoked%n", name);
            return 0;
          });
    }
  }
}
