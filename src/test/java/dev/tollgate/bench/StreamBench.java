package dev.tollgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Streaming, on one keep-alive connection per target (as an SDK would hold), after warm-up.
 *
 * <p>Time to first token: interleaved rounds of short streams; per round the p50 of each proxy
 * minus direct's, and the median over rounds, like {@link LatencyBench}. Inter-frame gaps: {@code
 * frames}-frame streams paced {@code intervalMs} apart. A proxy that held frames back would show
 * paced gaps bunched near zero ("bunched") and the next gap near twice the interval.
 */
final class StreamBench {
  private static final int ROUNDS = 5;

  record Result(
      Map<String, Double> ttftP50Micros,
      Map<String, Double> ttftP99Micros,
      Map<String, Double> gapP50Micros,
      Map<String, Double> gapP99Micros,
      Map<String, Double> addedTtftP50Micros,
      Map<String, Double> addedTtftP99Micros,
      Map<String, Double> addedGapP99Micros,
      Map<String, Integer> framesSeen,
      Map<String, Double> gapMinMicros,
      Map<String, Long> bunchedGaps,
      int frames,
      long intervalMs,
      int streams,
      int ttftStreams,
      int warmup) {}

  static Result run(
      Targets targets, int streams, int frames, long intervalMs, int ttftStreams, int warmup)
      throws Exception {
    Map<String, RawHttp> conns = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, URI> t : targets.all().entrySet()) {
        conns.put(t.getKey(), new RawHttp(t.getValue()));
      }
      for (Map.Entry<String, RawHttp> c : conns.entrySet()) {
        byte[] req = request(targets.all().get(c.getKey()), 8, 0);
        for (int i = 0; i < warmup; i++) {
          c.getValue().stream(req);
        }
      }
      LatencyBench.Rounds ttft = LatencyBench.Rounds.of(ttft(targets, conns, ttftStreams));
      Gaps gaps = gaps(targets, conns, streams, frames, intervalMs);
      Map<String, Double> addedGap = new LinkedHashMap<>();
      for (String name : gaps.p99.keySet()) {
        if (!name.equals("direct")) {
          addedGap.put(name, gaps.p99.get(name) - gaps.p99.get("direct"));
        }
      }
      return new Result(
          ttft.p50(),
          ttft.p99(),
          gaps.p50,
          gaps.p99,
          ttft.addedP50(),
          ttft.addedP99(),
          addedGap,
          gaps.seen,
          gaps.min,
          gaps.bunched,
          frames,
          intervalMs,
          streams,
          ttftStreams,
          warmup);
    } finally {
      for (RawHttp c : conns.values()) {
        c.close();
      }
    }
  }

  /** Per target, per round: [p50, p99] of the time from sending the request to the first event. */
  private static Map<String, List<double[]>> ttft(
      Targets targets, Map<String, RawHttp> conns, int ttftStreams) throws Exception {
    Map<String, List<double[]>> rounds = new LinkedHashMap<>();
    int perRound = Math.max(1, ttftStreams / ROUNDS);
    for (int r = 0; r < ROUNDS; r++) {
      for (Map.Entry<String, RawHttp> c : conns.entrySet()) {
        byte[] req = request(targets.all().get(c.getKey()), 2, 0);
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < perRound; i++) {
          long start = System.nanoTime();
          List<Long> arrivals = c.getValue().stream(req);
          h.recordValue(arrivals.get(0) - start);
        }
        rounds
            .computeIfAbsent(c.getKey(), k -> new ArrayList<>())
            .add(
                new double[] {
                  h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0
                });
      }
    }
    return rounds;
  }

  private record Gaps(
      Map<String, Double> p50,
      Map<String, Double> p99,
      Map<String, Double> min,
      Map<String, Integer> seen,
      Map<String, Long> bunched) {}

  /**
   * Gaps between the paced events of each stream: the role frame and the content frames. The last
   * arrivals ({@code [DONE]}, which follows the finishing chunk at once) are not paced.
   */
  private static Gaps gaps(
      Targets targets, Map<String, RawHttp> conns, int streams, int frames, long intervalMs)
      throws Exception {
    Map<String, Histogram> hist = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    Map<String, Long> bunched = new LinkedHashMap<>();
    long bunchedBelow = intervalMs * 1_000_000 / 2;
    for (int s = 0; s < streams; s++) {
      for (Map.Entry<String, RawHttp> c : conns.entrySet()) {
        String name = c.getKey();
        hist.computeIfAbsent(name, k -> new Histogram(60_000_000_000L, 3));
        List<Long> arrivals =
            c.getValue().stream(request(targets.all().get(name), frames, intervalMs));
        // Role frame + content frames are paced; [DONE] follows the last one at once.
        int paced = Math.min(arrivals.size(), frames + 1);
        for (int i = 1; i < paced; i++) {
          long gap = arrivals.get(i) - arrivals.get(i - 1);
          hist.get(name).recordValue(gap);
          if (gap < bunchedBelow) {
            bunched.merge(name, 1L, Long::sum);
          }
        }
        bunched.putIfAbsent(name, 0L);
        seen.merge(name, arrivals.size(), Math::min);
      }
    }
    Map<String, Double> p50 = new LinkedHashMap<>();
    Map<String, Double> p99 = new LinkedHashMap<>();
    Map<String, Double> min = new LinkedHashMap<>();
    for (Map.Entry<String, Histogram> h : hist.entrySet()) {
      p50.put(h.getKey(), h.getValue().getValueAtPercentile(50) / 1000.0);
      p99.put(h.getKey(), h.getValue().getValueAtPercentile(99) / 1000.0);
      min.put(h.getKey(), h.getValue().getMinValue() / 1000.0);
    }
    return new Gaps(p50, p99, min, seen, bunched);
  }

  private static byte[] request(URI base, int frames, long intervalMs) {
    return RawHttp.post(
        base,
        "/chat/completions",
        Targets.STREAM_CHAT,
        "X-Mock-Frames: " + frames,
        "X-Mock-Frame-Interval-Ms: " + intervalMs);
  }
}
