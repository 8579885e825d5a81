package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.server.TollgateServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate serve}: runs the proxy until SIGTERM or SIGINT, then drains and exits 0. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the proxy (the default command).")
final class ServeCommand implements Callable<Integer> {
  static final int CONFIG_ERROR = 2;

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Config file (default: config/tollgate.yaml if it exists, else the built-in defaults;"
              + " a file named here must exist).")
  Path configFile;

  @Override
  public Integer call() throws InterruptedException {
    TollgateConfig config;
    TollgateServer server;
    try {
      config = new ConfigLoader(System.getenv()).loadOrDefaults(configFile);
      Logging.configure(config.logging());
      server = new TollgateServer(config).start();
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("tollgate: " + e.getMessage());
      err.flush();
      return CONFIG_ERROR;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable drain =
        () -> {
          try {
            server.drainAndStop(config.server().drainTimeout());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            stopped.countDown();
          }
        };
    Signals.onTermination(drain);
    stopped.await();
    return 0;
  }
}
