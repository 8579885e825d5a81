package dev.tollgate.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ways to reach the fake upstream: directly, through nginx, through Tollgate with its default
 * config; and through a second Tollgate with a realistic one (virtual keys, a hard budget covering
 * every call; null if not run). {@code headers} go on every request to every target, so all are
 * sent the same bytes: the realistic Tollgate's virtual key, which the others pass on or ignore.
 */
record Targets(URI direct, URI nginx, URI tollgate, URI tollgateRealistic, String[] headers) {
  Map<String, URI> all() {
    Map<String, URI> m = new LinkedHashMap<>();
    m.put("direct", direct);
    m.put("nginx", nginx);
    m.put("tollgate", tollgate);
    return m;
  }

  /** {@link #all()} plus the realistic Tollgate: what keys and a budget add is measured there. */
  Map<String, URI> latency() {
    Map<String, URI> m = all();
    if (tollgateRealistic != null) {
      m.put(REALISTIC, tollgateRealistic);
    }
    return m;
  }

  static final String REALISTIC = "tollgate realistic";

  static final String SMALL_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}
