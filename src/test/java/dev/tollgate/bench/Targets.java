package dev.tollgate.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The three ways to reach the fake upstream: directly, through nginx, through Tollgate. */
record Targets(URI direct, URI nginx, URI tollgate) {
  Map<String, URI> all() {
    Map<String, URI> m = new LinkedHashMap<>();
    m.put("direct", direct);
    m.put("nginx", nginx);
    m.put("tollgate", tollgate);
    return m;
  }

  static final String SMALL_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}
