package dev.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fixed request rate, open loop (issue 31): calls are due on a fixed schedule whatever the target
 * does, and each one's latency counts from when it was due, not from when a connection was free to
 * send it, so a stall shows as the queue it causes (what wrk2 calls correcting for coordinated
 * omission; wrk2 is not packaged for Debian). A pool of keep-alive connections, each on its own
 * thread, takes the next due call. Rounds alternate between targets; added = target − direct in the
 * same round, median over rounds.
 */
final class FixedRateBench {
  private FixedRateBench() {}

  static Map<String, Object> run(Targets all, int rate, int seconds, int connections, int rounds)
      throws Exception {
    Map<String, URI> targets = all.latency();
    Map<String, List<double[]>> perRound = new LinkedHashMap<>();
    for (Map.Entry<String, URI> t : targets.entrySet()) {
      // Warm, not recorded, as the saturation part does: otherwise the JIT still compiling would
      // show as this row's tail when the part runs on its own (--parts fixedrate).
      SaturationBench.warm(all, t.getKey(), t.getValue(), 64, seconds);
      round(t.getValue(), all.headers(t.getKey()), rate, Math.min(seconds, 5), connections);
      perRound.put(t.getKey(), new ArrayList<>());
    }
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, URI> t : targets.entrySet()) {
        Histogram h = round(t.getValue(), all.headers(t.getKey()), rate, seconds, connections);
        perRound
            .get(t.getKey())
            .add(
                new double[] {
                  h.getValueAtPercentile(50) / 1000.0,
                  h.getValueAtPercentile(99) / 1000.0,
                  h.getValueAtPercentile(99.9) / 1000.0
                });
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rate", rate);
    out.put("seconds", seconds);
    out.put("connections", connections);
    out.put("rounds", rounds);
    String[] names = {"p50", "p99", "p999"};
    for (int k = 0; k < names.length; k++) {
      Map<String, Double> at = new LinkedHashMap<>();
      Map<String, Double> added = new LinkedHashMap<>();
      for (String name : perRound.keySet()) {
        at.put(name, LatencyBench.median(perRound.get(name), k, null));
        if (!name.equals("direct")) {
          added.put(name, LatencyBench.median(perRound.get(name), k, perRound.get("direct")));
        }
      }
      out.put(names[k] + "_micros", at);
      out.put("added_" + names[k] + "_micros", added);
    }
    return out;
  }

  /**
   * One round: {@code rate} calls a second for {@code seconds}, latencies from when each was due.
   */
  private static Histogram round(URI base, String[] headers, int rate, int seconds, int connections)
      throws Exception {
    byte[] request = RawHttp.post(base, "/chat/completions", Targets.SMALL_CHAT, headers);
    long total = (long) rate * seconds;
    long periodNanos = 1_000_000_000L / rate;
    Histogram h = new Histogram(60_000_000_000L, 3);
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    long start = System.nanoTime() + 50_000_000L; // every connection open before the first is due
    List<Future<Void>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(
          pool.submit(
              () -> {
                try (RawHttp http = new RawHttp(base)) {
                  for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * periodNanos;
                    for (long wait = due - System.nanoTime();
                        wait > 0;
                        wait = due - System.nanoTime()) {
                      LockSupport.parkNanos(wait);
                    }
                    int status = http.call(request);
                    long latency = System.nanoTime() - due;
                    if (status != 200) {
                      throw new IllegalStateException(base + " answered " + status);
                    }
                    synchronized (h) {
                      h.recordValue(Math.min(latency, h.getHighestTrackableValue()));
                    }
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<Void> w : workers) {
        w.get(seconds + 60L, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return h;
  }

  /** The report's section, or nothing when the run had no fixed-rate part. */
  static String markdown(JsonNode f) {
    if (f == null || f.isMissingNode() || f.isNull()) {
      return "";
    }
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "\n## Fixed rate, %,d requests/s (open loop)\n\n"
                    + "The bench client's own open-loop mode: calls due every %.0f µs whatever the"
                    + " target does, %d keep-alive connections, latency counted from when each"
                    + " call was due (corrected for coordinated omission, as wrk2 does);"
                    + " %d alternating rounds of %d s, median shown, after each target served"
                    + " 20 s at saturation and 5 s at the rate unrecorded (its JIT warm);"
                    + " added = via proxy − direct in the same round.\n\n"
                    + "| | p50 | p99 | p99.9 | added p50 | added p99 | added p99.9 |\n"
                    + "|---|---|---|---|---|---|---|\n",
                f.get("rate").asInt(),
                1_000_000.0 / f.get("rate").asInt(),
                f.get("connections").asInt(),
                f.get("rounds").asInt(),
                f.get("seconds").asInt()));
    f.get("p50_micros")
        .fieldNames()
        .forEachRemaining(
            name ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "| %s | %.0f µs | %.0f µs | %.0f µs | %s | %s | %s |\n",
                        name,
                        f.at("/p50_micros").get(name).asDouble(),
                        f.at("/p99_micros").get(name).asDouble(),
                        f.at("/p999_micros").get(name).asDouble(),
                        added(f, "p50", name),
                        added(f, "p99", name),
                        added(f, "p999", name))));
    return md.toString();
  }

  private static String added(JsonNode f, String at, String name) {
    JsonNode v = f.at("/added_" + at + "_micros").get(name);
    return v == null ? "–" : String.format(Locale.ROOT, "%.0f µs", v.asDouble());
  }
}
