package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate health}: exit 0 when Tollgate answers ready, 1 otherwise. For container health
 * checks, which cannot count on a shell, curl or bash's {@code /dev/tcp} in the image.
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = "Exit 0 if a running Tollgate is ready (GET /readyz on the admin port), else 1.")
final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "What to ask (default: http://127.0.0.1:<admin.port>/readyz from the config).")
  String url;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    URI target;
    try {
      target =
          URI.create(
              url != null ? url : "http://127.0.0.1:" + config.load().admin().port() + "/readyz");
    } catch (ConfigException | IllegalArgumentException e) {
      return OneLine.fail(spec, e.getMessage(), 2);
    }
    Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    try {
      var r =
          http.send(
              HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
              BodyHandlers.ofString());
      return r.statusCode() == 200
          ? say(0, r.body())
          : say(1, "not ready: " + r.statusCode() + " " + r.body());
    } catch (IOException e) {
      return say(1, "not ready: " + target + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return say(1, "not ready: interrupted");
    }
  }

  private int say(int code, String line) {
    var w = code == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr();
    w.println(line);
    w.flush();
    return code;
  }
}
