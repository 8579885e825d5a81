package dev.tollgate.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How every command reports a problem: one line on stderr, {@code tollgate: ...}, and a code. */
final class OneLine {
  private OneLine() {}

  /** Prints {@code tollgate: message} and returns {@code code}, for {@code return fail(...)}. */
  static int fail(CommandSpec spec, String message, int code) {
    PrintWriter err = spec.commandLine().getErr();
    // One line, whatever the message carries (a provider's pretty-printed error body, say).
    err.println("tollgate: " + String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " "));
    err.flush();
    return code;
  }
}
