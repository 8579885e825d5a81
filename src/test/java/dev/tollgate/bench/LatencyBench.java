package dev.tollgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Added latency at concurrency 1: rounds of N small non-streamed calls to each target in turn
 * (interleaved, so drift hits all alike); per round p50/p99 of each proxy minus direct; the result
 * is the median of the rounds.
 */
final class LatencyBench {
  record Result(
      Map<String, Double> p50Micros,
      Map<String, Double> p99Micros,
      Map<String, Double> addedP50Micros,
      Map<String, Double> addedP99Micros,
      int rounds,
      int requestsPerRound) {}

  static Result run(Targets targets, int rounds, int requests, int warmup) throws Exception {
    Map<String, List<double[]>> perRound = new LinkedHashMap<>(); // target -> [p50, p99] per round
    for (Map.Entry<String, URI> t : targets.latency().entrySet()) {
      try (RawHttp c = new RawHttp(t.getValue())) {
        byte[] req =
            RawHttp.post(
                t.getValue(), "/chat/completions", Targets.SMALL_CHAT, targets.headers(t.getKey()));
        for (int i = 0; i < warmup; i++) {
          c.call(req);
        }
      }
      perRound.put(t.getKey(), new ArrayList<>());
    }
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, URI> t : targets.latency().entrySet()) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        try (RawHttp c = new RawHttp(t.getValue())) {
          byte[] req =
              RawHttp.post(
                  t.getValue(),
                  "/chat/completions",
                  Targets.SMALL_CHAT,
                  targets.headers(t.getKey()));
          for (int i = 0; i < 200; i++) {
            c.call(req); // re-warm this connection
          }
          for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            int status = c.call(req);
            h.recordValue(System.nanoTime() - start);
            if (status != 200) {
              throw new IllegalStateException(t.getKey() + " answered " + status);
            }
          }
        }
        perRound
            .get(t.getKey())
            .add(
                new double[] {
                  h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0
                });
      }
    }
    Rounds r = Rounds.of(perRound);
    return new Result(r.p50(), r.p99(), r.addedP50(), r.addedP99(), rounds, requests);
  }

  /**
   * Per target, the median over rounds of its p50 and p99; per proxy, the median over rounds of its
   * p50 and p99 minus direct's in the same round. Also used for streams' time to first token.
   */
  record Rounds(
      Map<String, Double> p50,
      Map<String, Double> p99,
      Map<String, Double> addedP50,
      Map<String, Double> addedP99) {
    /**
     * @param perRound target -> one [p50, p99] per round, in the same round order for every target
     */
    static Rounds of(Map<String, List<double[]>> perRound) {
      Rounds r =
          new Rounds(
              new LinkedHashMap<>(),
              new LinkedHashMap<>(),
              new LinkedHashMap<>(),
              new LinkedHashMap<>());
      for (String name : perRound.keySet()) {
        r.p50.put(name, median(perRound.get(name), 0, null));
        r.p99.put(name, median(perRound.get(name), 1, null));
        if (!name.equals("direct")) {
          r.addedP50.put(name, median(perRound.get(name), 0, perRound.get("direct")));
          r.addedP99.put(name, median(perRound.get(name), 1, perRound.get("direct")));
        }
      }
      return r;
    }
  }

  /** Median over rounds of column {@code k}, minus the same round's baseline when given. */
  static double median(List<double[]> rounds, int k, List<double[]> baseline) {
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      v.add(rounds.get(i)[k] - (baseline == null ? 0 : baseline.get(i)[k]));
    }
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
