package dev.tollgate.attribution;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Decides who a call is charged to. A key's mapping wins: a virtual key (or a passthrough key
 * mapped in {@code keys.yaml}) fixes team, project and user, and no header can move them. Headers
 * fill the dimensions no key set; the body's {@code user} / {@code safety_identifier} fills the end
 * user last. Values are trimmed and bounded so a client cannot bloat reports.
 */
public final class Attributor {
  private static final int MAX_VALUE = 128;
  private static final int MAX_TAGS = 16;

  /** The headers that carry attribution (lower-case names); they never go upstream. */
  public record Headers(String team, String project, String user, String tags) {}

  /**
   * @param attribution who to charge, when accepted
   * @param refusal why a virtual key was refused (answer 401), or null
   */
  public record Result(Attribution attribution, String refusal) {}

  private final Supplier<Keys> keys;
  private final Headers headers;

  public Attributor(Supplier<Keys> keys, Headers headers) {
    this.keys = keys;
    this.headers = headers;
  }

  public Headers headers() {
    return headers;
  }

  /**
   * @param authorization the client's Authorization header, or null
   * @param header reads a request header by lower-case name (null when absent)
   * @param bodyUser the request body's end user, or null
   */
  public Result resolve(String authorization, UnaryOperator<String> header, String bodyUser) {
    String secret = bearer(authorization);
    KeyEntry entry = null;
    String keyLabel = null;
    boolean virtual = secret != null && secret.startsWith("tg-");
    if (virtual) {
      entry = keys.get().virtualKey(secret);
      if (entry == null) {
        return new Result(null, "Invalid Tollgate key: it is not in keys.yaml");
      }
      if (entry.revoked()) {
        return new Result(null, "This Tollgate key has been revoked");
      }
      if (entry.expiredAt(Instant.now())) {
        return new Result(null, "This Tollgate key expired at " + entry.expires());
      }
      keyLabel = entry.name() != null ? entry.name() : "tg:" + Keys.fingerprint(secret);
    } else if (secret != null) {
      String fp = Keys.fingerprint(secret);
      entry = keys.get().passthrough(fp);
      keyLabel = entry != null && entry.name() != null ? entry.name() : "fp:" + fp;
    }
    String team = first(entry == null ? null : entry.team(), clean(header.apply(headers.team())));
    String project =
        first(entry == null ? null : entry.project(), clean(header.apply(headers.project())));
    String user =
        first(
            entry == null ? null : entry.user(),
            clean(header.apply(headers.user())),
            clean(bodyUser));
    return new Result(
        new Attribution(
            team == null ? Attribution.UNATTRIBUTED : team,
            project,
            user,
            keyLabel,
            tags(header.apply(headers.tags())),
            virtual),
        null);
  }

  /** {@code feature=search,env=prod} → tags; malformed pieces are ignored, the count is bounded. */
  static Map<String, String> tags(String value) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (value == null) {
      return tags;
    }
    for (String piece : value.split(",")) {
      int eq = piece.indexOf('=');
      if (eq <= 0 || tags.size() >= MAX_TAGS) {
        continue;
      }
      String name = clean(piece.substring(0, eq));
      String v = clean(piece.substring(eq + 1));
      if (name != null && v != null) {
        tags.put(name, v);
      }
    }
    return tags;
  }

  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.trim();
    if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      a = a.substring(7).trim();
    }
    return a.isEmpty() ? null : a;
  }

  private static String clean(String v) {
    if (v == null) {
      return null;
    }
    String t = v.trim();
    return t.isEmpty() ? null : t.length() > MAX_VALUE ? t.substring(0, MAX_VALUE) : t;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
