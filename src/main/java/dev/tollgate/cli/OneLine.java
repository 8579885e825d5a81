package dev.tollgate.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How every command reports a problem: one line on stderr, {@code tollgate: ...}, and a code. */
final class OneLine {
  private OneLine() {}

  /** Prints {@code tollgate: message} and returns {@code code}, for {@code return fail(...)}. */
  static int fail(CommandSpec spec, String message, int code) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("tollgate: " + message);
    err.flush();
    return code;
  }
}
