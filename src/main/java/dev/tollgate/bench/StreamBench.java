package dev.tollgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Streaming: a 64-frame SSE stream with frames {@code intervalMs} apart, through each target.
 * Time to first token and inter-frame gaps; a proxy that held frames back would show gaps
 * bunched near 0 and near a multiple of the interval, and a frame count below 64.
 */
final class StreamBench {
  record Result(Map<String, Double> ttftP50Micros, Map<String, Double> gapP50Micros, Map<String, Double> gapP99Micros,
      Map<String, Double> addedTtftP50Micros, Map<String, Double> addedGapP99Micros, Map<String, Integer> framesSeen,
      Map<String, Double> gapMinMicros, int frames, long intervalMs, int streams) {}

  static Result run(Targets targets, int streams, int frames, long intervalMs) throws Exception {
    Map<String, Histogram> ttft = new LinkedHashMap<>();
    Map<String, Histogram> gaps = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String name : targets.all().keySet()) {
      ttft.put(name, new Histogram(60_000_000_000L, 3));
      gaps.put(name, new Histogram(60_000_000_000L, 3));
      seen.put(name, Integer.MAX_VALUE);
    }
    for (int s = 0; s < streams; s++) {
      for (Map.Entry<String, URI> t : targets.all().entrySet()) {
        try (RawHttp c = new RawHttp(t.getValue())) {
          byte[] req = RawHttp.post(t.getValue(), "/chat/completions", Targets.STREAM_CHAT,
              "X-Mock-Frames: " + frames, "X-Mock-Frame-Interval-Ms: " + intervalMs);
          long start = System.nanoTime();
          List<Long> arrivals = c.stream(req);
          ttft.get(t.getKey()).recordValue(arrivals.get(0) - start);
          for (int i = 1; i < arrivals.size(); i++) {
            gaps.get(t.getKey()).recordValue(arrivals.get(i) - arrivals.get(i - 1));
          }
          // Content frames (role frame + frames) plus [DONE]; a held-back frame would merge into another.
          seen.merge(t.getKey(), arrivals.size(), Math::min);
        }
      }
    }
    Map<String, Double> ttft50 = new LinkedHashMap<>();
    Map<String, Double> gap50 = new LinkedHashMap<>();
    Map<String, Double> gap99 = new LinkedHashMap<>();
    Map<String, Double> gapMin = new LinkedHashMap<>();
    for (String name : ttft.keySet()) {
      ttft50.put(name, ttft.get(name).getValueAtPercentile(50) / 1000.0);
      gap50.put(name, gaps.get(name).getValueAtPercentile(50) / 1000.0);
      gap99.put(name, gaps.get(name).getValueAtPercentile(99) / 1000.0);
      gapMin.put(name, gaps.get(name).getMinValue() / 1000.0);
    }
    Map<String, Double> addedTtft = new LinkedHashMap<>();
    Map<String, Double> addedGap = new LinkedHashMap<>();
    for (String name : new ArrayList<>(ttft.keySet())) {
      if (!name.equals("direct")) {
        addedTtft.put(name, ttft50.get(name) - ttft50.get("direct"));
        addedGap.put(name, gap99.get(name) - gap99.get("direct"));
      }
    }
    return new Result(ttft50, gap50, gap99, addedTtft, addedGap, seen, gapMin, frames, intervalMs, streams);
  }
}
