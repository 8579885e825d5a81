package dev.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Throughput with the upstream answering after 20 ms, at rising concurrency, measured by wrk. */
final class ThroughputBench {
  record Point(
      String target, int connections, double rps, double p99Millis, long errors, long requests) {}

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

  static List<Point> run(Targets targets, int[] connections, int seconds, long delayMs)
      throws IOException, InterruptedException {
    List<Point> points = new ArrayList<>();
    // Warm every target at the highest concurrency first (not recorded): the single-connection
    // warm-up before leaves the JIT still compiling the paths that many connections take, and
    // the first measured point then reports the compiler rather than the proxy.
    int most = java.util.Arrays.stream(connections).max().orElse(1);
    for (Map.Entry<String, URI> t : targets.all().entrySet()) {
      wrk(t.getKey(), t.getValue(), most, Math.max(seconds, 20), delayMs);
    }
    for (int c : connections) {
      for (Map.Entry<String, URI> t : targets.all().entrySet()) {
        points.add(wrk(t.getKey(), t.getValue(), c, seconds, delayMs));
      }
    }
    return points;
  }

  /**
   * One wrk run of small chat calls, the upstream answering after {@code delayMs}; {@code headers}
   * ({@code "Name: value"}) go on every request.
   */
  static Point wrk(String name, URI base, int c, int seconds, long delayMs, String... headers)
      throws IOException, InterruptedException {
    return wrkBody(name, base, c, seconds, delayMs, Targets.SMALL_CHAT, headers);
  }

  /** As above, sending {@code body} (no single quote or backslash in it) on every request. */
  static Point wrkBody(
      String name, URI base, int c, int seconds, long delayMs, String body, String... headers)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("tollgate-wrk", ".lua");
    StringBuilder lua =
        new StringBuilder("wrk.method = \"POST\"\nwrk.body = '")
            .append(body)
            .append("'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n")
            .append("wrk.headers[\"X-Mock-Delay-Ms\"] = \"")
            .append(delayMs)
            .append("\"\n");
    for (String h : headers) {
      int colon = h.indexOf(':');
      lua.append("wrk.headers[\"")
          .append(h, 0, colon)
          .append("\"] = \"")
          .append(h.substring(colon + 1).trim())
          .append("\"\n");
    }
    Files.writeString(script, lua);
    try {
      return wrk(name, base, c, seconds, script);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static Point wrk(String name, URI base, int c, int seconds, Path script)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + c,
                "-d" + seconds + "s",
                "--latency",
                "-s",
                script.toString(),
                base + "/chat/completions")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher rps = RPS.matcher(out);
    Matcher p99 = P99.matcher(out);
    if (!rps.find() || !p99.find()) {
      throw new IOException("could not read wrk's output:\n" + out);
    }
    double v = Double.parseDouble(p99.group(1));
    double millis =
        switch (p99.group(2)) {
          case "us" -> v / 1000;
          case "s" -> v * 1000;
          default -> v;
        };
    long errors = 0;
    Matcher se = SOCKET_ERRORS.matcher(out);
    if (se.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(se.group(g));
      }
    }
    Matcher bad = NON_2XX.matcher(out);
    if (bad.find()) {
      errors += Long.parseLong(bad.group(1));
    }
    Matcher requests = REQUESTS.matcher(out);
    long n = requests.find() ? Long.parseLong(requests.group(1)) : 0;
    return new Point(name, c, Double.parseDouble(rps.group(1)), millis, errors, n);
  }

  static Map<String, Object> asMap(Point p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", p.target());
    m.put("connections", p.connections());
    m.put("rps", p.rps());
    m.put("p99_ms", p.p99Millis());
    m.put("errors", p.errors());
    return m;
  }
}
