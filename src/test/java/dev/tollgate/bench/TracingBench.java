package dev.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What tracing costs at saturation: the same Tollgate build twice, one exporting a span pair for
 * every call (always-on sampler, to a collector that answers at once), driven by wrk with the
 * upstream answering at once. Rounds alternate between the two so that the shared machine's drift
 * falls on both alike; the median of each is compared.
 */
final class TracingBench {
  static final String TRACING = "tollgate+tracing";

  private TracingBench() {}

  /**
   * @param probes each side's process by name ({@code tollgate}, {@link #TRACING}), to warm each
   *     until its JIT has settled; a side without one is warmed for a fixed time
   */
  static Map<String, Object> run(
      Targets all,
      URI plain,
      URI traced,
      Map<String, ProcessProbe> probes,
      int connections,
      int seconds,
      int rounds)
      throws IOException, InterruptedException {
    Map<String, URI> targets = new LinkedHashMap<>();
    targets.put("tollgate", plain);
    targets.put(TRACING, traced);
    // Warm both at full concurrency first (not recorded), each until its JIT has settled: the
    // traced Tollgate serves nothing before this part, the plain one has served every other.
    for (Map.Entry<String, URI> t : targets.entrySet()) {
      SaturationBench.warm(
          all,
          t.getKey(),
          t.getValue(),
          connections,
          seconds,
          probes.get(t.getKey()),
          Targets.SMALL_CHAT);
    }
    Map<String, List<Double>> rps = new LinkedHashMap<>();
    long errors = 0;
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, URI> t : targets.entrySet()) {
        ThroughputBench.Point p =
            ThroughputBench.wrk(t.getKey(), t.getValue(), connections, seconds, 0);
        rps.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(p.rps());
        errors += p.errors();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connections", connections);
    out.put("seconds", seconds);
    out.put("rounds", rounds);
    out.put("rps", rps);
    out.put("median_rps_off", median(rps.get("tollgate")));
    out.put("median_rps_on", median(rps.get(TRACING)));
    out.put("ratio", median(rps.get(TRACING)) / median(rps.get("tollgate")));
    out.put("errors", errors);
    return out;
  }

  /** The report's section, or nothing when the run had no tracing part. */
  static String markdown(JsonNode t) {
    if (t == null || t.isMissingNode() || t.isNull()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "\n## Tracing on (always-on sampler), saturation\n\n"
            + "wrk, %d connections, upstream answering at once, %d alternating rounds of %d s;"
            + " every call exports a server and a client span over OTLP/HTTP to a collector that"
            + " answers at once.\n\n"
            + "| | requests/s (median) |\n|---|---|\n| tracing off | %,.0f |\n| tracing on |"
            + " %,.0f |\n\nTracing on serves %.2f× the requests of tracing off (target: ≥ 0.90×);"
            + " %d errors.\n",
        t.get("connections").asInt(),
        t.get("rounds").asInt(),
        t.get("seconds").asInt(),
        t.get("median_rps_off").asDouble(),
        t.get("median_rps_on").asDouble(),
        t.get("ratio").asDouble(),
        t.get("errors").asLong());
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
