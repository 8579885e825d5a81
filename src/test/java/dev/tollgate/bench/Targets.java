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

  /**
   * A chat call with a 20 KB prompt (a system message and a long user message: retrieved context,
   * as RAG apps and coding agents send), {@code model} after the messages as the Python SDK writes
   * it. Larger than Netty's biggest small-buffer size class (16.9 KB), so it shows what a long
   * prompt costs that the small call does not. No quote or backslash: wrk's Lua takes it as is.
   */
  static final String LONG_CHAT = longChat();

  private static String longChat() {
    String context =
        "Quarterly report, section %d: revenue grew by twelve percent while operating costs fell;"
            + " the board asked for a breakdown by region and product line. ";
    StringBuilder user = new StringBuilder();
    for (int i = 0; user.length() < 19_500; i++) {
      user.append(String.format(java.util.Locale.ROOT, context, i));
    }
    return "{\"messages\":[{\"role\":\"system\",\"content\":\"You are a careful financial analyst.\"},"
        + "{\"role\":\"user\",\"content\":\""
        + user
        + "Summarise the report in three sentences.\"}],\"model\":\"gpt-4o-mini\",\"max_tokens\":256}";
  }

  static final String STREAM_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}
