package dev.tollgate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The real command tree run in-process, with what it prints kept for the test. */
final class Cli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return commandLine().execute(args);
  }

  /** As {@code java -jar tollgate.jar args}: with Main's default command applied. */
  int runAsMain(String... args) {
    CommandLine cli = commandLine();
    return cli.execute(Main.withDefaultCommand(args, cli));
  }

  private CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TollgateCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli;
  }
}
