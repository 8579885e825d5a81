package dev.tollgate.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ways to reach the fake upstream: directly, through nginx, through Tollgate; and, for the
 * latency run only, through a second Tollgate whose budget covers every call (null if not run).
 */
record Targets(URI direct, URI nginx, URI tollgate, URI tollgateBudgets) {
  Map<String, URI> all() {
    Map<String, URI> m = new LinkedHashMap<>();
    m.put("direct", direct);
    m.put("nginx", nginx);
    m.put("tollgate", tollgate);
    return m;
  }

  /** {@link #all()} plus the budgeted Tollgate: what a budget check adds is measured there. */
  Map<String, URI> latency() {
    Map<String, URI> m = all();
    if (tollgateBudgets != null) {
      m.put(BUDGETS, tollgateBudgets);
    }
    return m;
  }

  static final String BUDGETS = "tollgate+budgets";

  static final String SMALL_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}
