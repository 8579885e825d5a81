package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.mock.MockUpstream;
import dev.tollgate.server.TollgateServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate demo}: Tollgate in front of the mock upstream, with a few teams calling a few
 * models, so metrics, dashboards and reports fill up without any API key.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run Tollgate against a built-in fake upstream and drive realistic traffic through it.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Config file (default: config/tollgate.yaml if it exists, else the built-in defaults);"
              + " its upstream is replaced by the mock.")
  Path configFile;

  @Option(names = "--port", description = "Proxy port (default: the config's).")
  Integer port;

  @Option(names = "--admin-port", description = "Admin port (default: the config's).")
  Integer adminPort;

  @Option(
      names = "--data-dir",
      defaultValue = "./data/demo",
      description = "Ledger directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--rate",
      defaultValue = "5",
      description = "Calls per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "Seconds to run; 0 runs until Ctrl-C.")
  long durationSeconds;

  @Override
  public Integer call() throws Exception {
    try (MockUpstream mock =
        new MockUpstream(new MockUpstream.Settings("127.0.0.1", 0, 40, 25, 12)).start()) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("TOLLGATE_UPSTREAM_URL", mock.baseUrl());
      env.put("TOLLGATE_DATA_DIR", dataDir.toString());
      if (port != null) {
        env.put("TOLLGATE_PORT", port.toString());
      }
      if (adminPort != null) {
        env.put("TOLLGATE_ADMIN_PORT", adminPort.toString());
      }
      TollgateServer server;
      try {
        // Several providers, all played by the mock: Claude through Anthropic's native API, and
        // DeepSeek routed by model, besides the default OpenAI upstream.
        String mockHost = mock.baseUrl().substring(0, mock.baseUrl().length() - "/v1".length());
        TollgateConfig config =
            new ConfigLoader(env)
                .loadOrDefaults(
                    configFile,
                    tree -> {
                      var upstreams = tree.putObject("upstreams");
                      upstreams
                          .putObject("claude")
                          .put("url", mockHost)
                          .put("provider", "anthropic");
                      upstreams
                          .putObject("deepseek")
                          .put("url", mock.baseUrl())
                          .put("provider", "openai_compatible");
                      tree.putArray("routes")
                          .addObject()
                          .put("match", "deepseek-*")
                          .put("upstream", "deepseek");
                    });
        server = new TollgateServer(config).start();
      } catch (ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), 2);
      }
      DemoTraffic traffic = new DemoTraffic(server.port());
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      ticker.scheduleAtFixedRate(
          traffic::sendOne, 0, Math.max(1, 1_000_000 / Math.max(1, rate)), TimeUnit.MICROSECONDS);
      String hints =
          """
            metrics:   curl -s localhost:%d/metrics | grep tollgate_cost_usd_total
            calls:     curl -s 'localhost:%d/admin/calls?limit=5'
            report:    TOLLGATE_DATA_DIR=%s java -jar target/tollgate.jar report --group-by team,project
          """
              .formatted(server.adminPort(), server.adminPort(), dataDir);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Demo running: Tollgate on :%d (admin :%d) in front of mock OpenAI, Anthropic and"
              + " DeepSeek upstreams, %d calls/s from 4 teams.%n%sCtrl-C to stop.%n",
          server.port(), server.adminPort(), rate, hints);
      out.flush();
      CountDownLatch stop = Signals.termination();
      if (durationSeconds > 0) {
        stop.await(durationSeconds, TimeUnit.SECONDS);
      } else {
        stop.await();
      }
      ticker.shutdownNow();
      Thread.sleep(500); // let the last calls finish before draining
      server.drainAndStop(Duration.ofSeconds(5));
      // The hints scrolled away under the access log; the ledger outlives the demo, so the
      // report line still works now.
      out.printf("Demo stopped after %d calls.%n%s", traffic.sent(), hints);
      out.flush();
    }
    return 0;
  }
}
