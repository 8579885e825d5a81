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
 * Saturation as the field publishes it (issue 31): wrk with 64 connections, the upstream answering
 * at once, against direct, nginx, Tollgate with its default config and Tollgate with a realistic
 * one; rounds alternate between targets so the shared machine's drift falls on all alike. For each
 * Tollgate, CPU and allocation per call over each round ({@link ProcessProbe}).
 */
final class SaturationBench {
  private SaturationBench() {}

  /**
   * At least 20 s at saturation, unrecorded: a JVM that has served only a few seconds is still
   * compiling its hot paths (C2 took a fifth of a core for a minute, by perf sched).
   */
  static void warm(Targets all, String name, URI target, int connections, int seconds)
      throws IOException, InterruptedException {
    warm(all, name, target, connections, seconds, null, Targets.SMALL_CHAT);
  }

  /**
   * As {@link #warm(Targets, String, URI, int, int)} with {@code body}, then, given the target's
   * {@code probe}, on in 10 s rounds until the JIT has settled: its compiler threads under 5 % of a
   * core over a round, or 120 s in all. On a slower machine 20 s was not enough (the compiler still
   * took 22 µs of CPU per call in the next 20 s), and a Tollgate measured colder than the one it is
   * compared with loses the comparison.
   */
  static void warm(
      Targets all,
      String name,
      URI target,
      int connections,
      int seconds,
      ProcessProbe probe,
      String body)
      throws IOException, InterruptedException {
    ThroughputBench.wrkBody(
        name, target, connections, Math.max(seconds, 20), 0, body, all.headers(name));
    if (probe == null) {
      return;
    }
    int spent = Math.max(seconds, 20);
    while (spent < 120) {
      long before = probe.compilerCpuNanos();
      ThroughputBench.wrkBody(name, target, connections, 10, 0, body, all.headers(name));
      spent += 10;
      double share = (probe.compilerCpuNanos() - before) / 10e9;
      System.err.printf(
          Locale.ROOT,
          "[bench] warming %s: %d s, JIT %.0f%% of a core%n",
          name,
          spent,
          share * 100);
      if (share < 0.05) {
        return;
      }
    }
  }

  /**
   * @param body every request's body: {@link Targets#SMALL_CHAT}, or {@link Targets#LONG_CHAT}
   */
  static Map<String, Object> run(
      Targets all,
      Map<String, ProcessProbe> probes,
      int connections,
      int seconds,
      int rounds,
      String body)
      throws IOException, InterruptedException {
    Map<String, URI> targets = all.latency();
    for (Map.Entry<String, URI> t : targets.entrySet()) {
      warm(all, t.getKey(), t.getValue(), connections, seconds, probes.get(t.getKey()), body);
    }
    Map<String, List<Double>> rps = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, List<Double>> alloc = new LinkedHashMap<>();
    long errors = 0;
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, URI> t : targets.entrySet()) {
        ProcessProbe probe = probes.get(t.getKey());
        ProcessProbe.Reading before = probe == null ? null : probe.start();
        ThroughputBench.Point p =
            ThroughputBench.wrkBody(
                t.getKey(), t.getValue(), connections, seconds, 0, body, all.headers(t.getKey()));
        rps.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(p.rps());
        errors += p.errors();
        if (probe != null && p.requests() > 0) {
          ProcessProbe.Reading after = probe.end();
          cpu.computeIfAbsent(t.getKey(), k -> new ArrayList<>())
              .add((after.cpuNanos() - before.cpuNanos()) / 1000.0 / p.requests());
          alloc
              .computeIfAbsent(t.getKey(), k -> new ArrayList<>())
              .add((after.allocatedBytes() - before.allocatedBytes()) / p.requests());
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connections", connections);
    out.put("seconds", seconds);
    out.put("rounds", rounds);
    out.put("body_bytes", body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    out.put("rps", rps);
    out.put("cpu_micros_per_call", cpu);
    out.put("alloc_bytes_per_call", alloc);
    Map<String, Double> medians = new LinkedHashMap<>();
    rps.forEach((k, v) -> medians.put(k, TracingBench.median(v)));
    out.put("median_rps", medians);
    out.put("errors", errors);
    return out;
  }

  /** The report's section, or nothing when the run had no saturation part. */
  static String markdown(JsonNode s) {
    return markdown(s, "Saturation, upstream answering at once", "small non-streamed chat calls");
  }

  /**
   * @param title the section's heading
   * @param calls what every request was
   */
  static String markdown(JsonNode s, String title, String calls) {
    if (s == null || s.isMissingNode() || s.isNull()) {
      return "";
    }
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "\n## %s\n\n"
                    + "wrk, %d connections, %s, %d alternating rounds"
                    + " of %d s (median shown). CPU per call: the Tollgate process's user + system"
                    + " time (`/proc/<pid>/stat`, every thread) over a round ÷ its calls."
                    + " Allocation per call: the JVM's allocated bytes over a round"
                    + " (`jvm_gc_memory_allocated_bytes_total`, a collection forced before each"
                    + " reading) ÷ its calls. *Realistic*: virtual keys (`auth.mode: virtual_keys`),"
                    + " a hard team budget covering every call, the ledger and the access log"
                    + " (both on by default).\n\n"
                    + "| | requests/s | × nginx | CPU per call | allocated per call |\n"
                    + "|---|---|---|---|---|\n",
                title,
                s.get("connections").asInt(),
                calls,
                s.get("rounds").asInt(),
                s.get("seconds").asInt()));
    double nginx = s.at("/median_rps/nginx").asDouble();
    s.get("median_rps")
        .fields()
        .forEachRemaining(
            e -> {
              String name = e.getKey();
              JsonNode cpu = s.at("/cpu_micros_per_call").get(name);
              JsonNode alloc = s.at("/alloc_bytes_per_call").get(name);
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %,.0f | %.2f× | %s | %s |\n",
                      name,
                      e.getValue().asDouble(),
                      e.getValue().asDouble() / nginx,
                      cpu == null ? "–" : String.format(Locale.ROOT, "%.1f µs", median(cpu)),
                      alloc == null ? "–" : String.format(Locale.ROOT, "%,.0f B", median(alloc))));
            });
    md.append(String.format(Locale.ROOT, "\n%d errors.\n", s.get("errors").asLong()));
    return md.toString();
  }

  static double median(JsonNode values) {
    List<Double> v = new ArrayList<>();
    values.forEach(n -> v.add(n.asDouble()));
    return TracingBench.median(v);
  }
}
