package dev.tollgate.bench;

import picocli.CommandLine;

/**
 * Entry point of the benchmark client, which lives on the test side so the production jar holds no
 * load generator: bench/run.sh runs it on the test classpath against the real jar.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOverwrittenOptionsAllowed(
        true); // later options win: bench/run.sh's defaults, then the user's
    System.exit(cli.execute(args));
  }
}
