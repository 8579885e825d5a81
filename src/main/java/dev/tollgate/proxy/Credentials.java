package dev.tollgate.proxy;

import dev.tollgate.attribution.Attributor;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * Where a client's key travels: each provider's SDK puts it somewhere else ({@code Authorization},
 * Anthropic's {@code x-api-key}, Azure's {@code api-key}, Gemini's {@code x-goog-api-key} or {@code
 * ?key=}). A Tollgate virtual key is found in any of them, and taken out of all of them: it never
 * leaves Tollgate.
 */
final class Credentials {
  /** Checked in this order; the first that holds a key is the caller's, a virtual key wins. */
  static final List<String> HEADERS =
      List.of("authorization", "x-api-key", "api-key", "x-goog-api-key");

  private static final String QUERY_KEY = "key";

  private Credentials() {}

  /**
   * The credential to authenticate: a virtual key wherever it is, else the first header (or
   * Gemini's query parameter) that holds one; null when none does.
   *
   * @param query the request's query, with its {@code ?}, or empty
   */
  static String find(HttpHeaders headers, String query) {
    String first = null;
    for (String name : HEADERS) {
      String value = headers.get(name);
      if (value == null || value.isBlank()) {
        continue;
      }
      if (Attributor.isVirtualKey(Attributor.bearer(value))) {
        return value;
      }
      first = first == null ? value : first;
    }
    String fromQuery = queryKey(query);
    if (fromQuery != null && (first == null || Attributor.isVirtualKey(fromQuery))) {
      return fromQuery;
    }
    return first;
  }

  /** Removes every header that carries a virtual key. */
  static void stripVirtualKeys(HttpHeaders headers) {
    for (String name : HEADERS) {
      String value = headers.get(name);
      if (value != null && Attributor.isVirtualKey(Attributor.bearer(value))) {
        headers.remove(name);
      }
    }
  }

  /** Removes every header that carries a key: the upstream gets Tollgate's own instead. */
  static void stripAll(HttpHeaders headers) {
    for (String name : HEADERS) {
      headers.remove(name);
    }
  }

  /** The query without a {@code key} parameter holding a virtual key (the same when none does). */
  static String withoutVirtualKey(String query) {
    String key = queryKey(query);
    if (key == null || !Attributor.isVirtualKey(key)) {
      return query;
    }
    QueryStringEncoder kept = new QueryStringEncoder("");
    for (Map.Entry<String, List<String>> p :
        new QueryStringDecoder(query.substring(1), false).parameters().entrySet()) {
      if (!p.getKey().equals(QUERY_KEY)) {
        p.getValue().forEach(v -> kept.addParam(p.getKey(), v));
      }
    }
    return kept.toString();
  }

  private static String queryKey(String query) {
    if (query.isEmpty() || !query.contains(QUERY_KEY + "=")) {
      return null; // the common case, without decoding
    }
    List<String> values =
        new QueryStringDecoder(query.substring(1), false).parameters().get(QUERY_KEY);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
