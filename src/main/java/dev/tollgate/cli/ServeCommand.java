package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.server.TollgateServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tollgate serve}: runs the proxy until SIGTERM or SIGINT, then drains and exits 0. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the proxy (the default command).")
final class ServeCommand implements Callable<Integer> {
  static final int CONFIG_ERROR = 2;

  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  @Override
  public Integer call() throws InterruptedException {
    TollgateConfig config;
    TollgateServer server;
    try {
      config = configOption.load();
      Logging.configure(config.logging());
      server = new TollgateServer(config).start();
    } catch (ConfigException e) {
      return OneLine.fail(spec, e.getMessage(), CONFIG_ERROR);
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
