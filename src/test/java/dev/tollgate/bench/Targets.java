package dev.tollgate.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ways to reach the fake upstream: directly, through nginx, through Tollgate with its default
 * config; and through a second Tollgate with a realistic one (virtual keys, a hard budget covering
 * every call; null if not run). {@code key} is the realistic Tollgate's virtual key: sent to it
 * only (a Tollgate refuses a {@code tg-} key it does not know, even in passthrough mode).
 */
record Targets(URI direct, URI nginx, URI tollgate, URI tollgateRealistic, String key) {
  /** The extra headers of a target's requests: the virtual key for the realistic one. */
  String[] headers(String target) {
    return target.equals(REALISTIC) && key != null
        ? new String[] {"Authorization: Bearer " + key}
        : new String[0];
  }

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
