package dev.tollgate.cli;

import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of {@code tollgate.jar}. */
public final class Main {
  private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new TollgateCommand());
    cli.setOverwrittenOptionsAllowed(
        true); // later options win (a script's defaults, then the user's)
    String[] command = withDefaultCommand(args, cli);
    if (!SERVERS.contains(command[0])) {
      Logging.toStderr(); // a command's standard output is its answer, and only that
    }
    return cli.execute(command);
  }

  /** The commands that run a server: their logs stay on standard output, as containers expect. */
  private static final Set<String> SERVERS = Set.of("serve", "demo", "mock-upstream");

  /**
   * {@code serve} is the default: no arguments, or options first, mean {@code serve ...}. A first
   * word that names no command is left to picocli, which says so and suggests the nearest one
   * ({@code srve} → {@code serve}) instead of serve rejecting it as a stray argument.
   */
  static String[] withDefaultCommand(String[] args, CommandLine cli) {
    if (args.length > 0
        && (cli.getSubcommands().containsKey(args[0])
            || TOP_LEVEL_FLAGS.contains(args[0])
            || !args[0].startsWith("-"))) {
      return args;
    }
    String[] withServe = new String[args.length + 1];
    withServe[0] = "serve";
    System.arraycopy(args, 0, withServe, 1, args.length);
    return Arrays.copyOf(withServe, withServe.length);
  }
}
