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
   * Who presented which key, as far as the key itself says: known to Tollgate (a valid virtual key,
   * or a passthrough key {@code keys.yaml} maps) or not.
   *
   * @param entry the key's entry, or null for an unmapped passthrough key or none
   * @param keyLabel the key's name for reports ({@code tg:…}/{@code fp:…} when unnamed), or null
   * @param virtual a Tollgate virtual key
   * @param hash the virtual key's SHA-256, to look it up again (revocation), or null
   */
  public record Authenticated(KeyEntry entry, String keyLabel, boolean virtual, String hash) {
    public static final Authenticated NONE = new Authenticated(null, null, false, null);

    /** Tollgate knows this key: a caller it can tell apart from an anonymous one. */
    public boolean known() {
      return entry != null;
    }
  }

  /**
   * @param authenticated who presented which key, when accepted
   * @param refusal why a virtual key was refused (answer 401), or null
   */
  public record Check(Authenticated authenticated, String refusal) {}

  /**
   * Checks the credential a request carries (a bearer token or a bare key), before anything else is
   * read: an unknown, revoked or expired virtual key is refused.
   *
   * @param credential the client's credential header value, or null
   */
  public Check authenticate(String credential) {
    String secret = bearer(credential);
    if (secret == null) {
      return new Check(Authenticated.NONE, null);
    }
    if (isVirtualKey(secret)) {
      String hash = Keys.sha256(secret);
      KeyEntry entry = keys.get().virtualKeyByHash(hash);
      String refusal = refusal(entry, Instant.now());
      if (refusal != null) {
        return new Check(null, refusal);
      }
      String label = entry.name() != null ? entry.name() : "tg:" + hash.substring(0, 16);
      return new Check(new Authenticated(entry, label, true, hash), null);
    }
    String fp = Keys.fingerprint(secret);
    KeyEntry entry = keys.get().passthrough(fp);
    String label = entry != null && entry.name() != null ? entry.name() : "fp:" + fp;
    return new Check(new Authenticated(entry, label, false, null), null);
  }

  /**
   * Why the virtual key with this hash may not be used now (unknown, revoked, expired), or null
   * while it may: asked again for open WebSockets, so a revocation reaches them.
   */
  public String refusal(String hash, Instant now) {
    return refusal(keys.get().virtualKeyByHash(hash), now);
  }

  private static String refusal(KeyEntry entry, Instant now) {
    if (entry == null) {
      return "Invalid Tollgate key: it is not in keys.yaml";
    }
    if (entry.revoked()) {
      return "This Tollgate key has been revoked";
    }
    if (entry.expiredAt(now)) {
      return "This Tollgate key expired at " + entry.expires();
    }
    return null;
  }

  /** True for a Tollgate virtual key's secret ({@code tg-...}). */
  public static boolean isVirtualKey(String secret) {
    return secret != null && secret.startsWith("tg-");
  }

  /**
   * Who pays: a known key's team, project and user win; headers fill what it leaves open.
   *
   * @param header reads a request header by lower-case name (null when absent)
   */
  public Attribution attribute(Authenticated who, UnaryOperator<String> header) {
    KeyEntry entry = who.entry();
    String team = first(entry == null ? null : entry.team(), clean(header.apply(headers.team())));
    String project =
        first(entry == null ? null : entry.project(), clean(header.apply(headers.project())));
    String user = first(entry == null ? null : entry.user(), clean(header.apply(headers.user())));
    return new Attribution(
        team == null ? Attribution.UNATTRIBUTED : team,
        project,
        user,
        who.keyLabel(),
        tags(header.apply(headers.tags())),
        who.virtual());
  }

  /** The body's end user fills the user when neither the key nor a header named one. */
  public static Attribution withBodyUser(Attribution a, String bodyUser) {
    String user = clean(bodyUser);
    return a.user() != null || user == null
        ? a
        : new Attribution(a.team(), a.project(), user, a.key(), a.tags(), a.virtualKey());
  }

  /**
   * Both steps at once, for callers that have the whole request.
   *
   * @param authorization the client's credential header, or null
   * @param header reads a request header by lower-case name (null when absent)
   * @param bodyUser the request body's end user, or null
   */
  public Result resolve(String authorization, UnaryOperator<String> header, String bodyUser) {
    Check check = authenticate(authorization);
    if (check.refusal() != null) {
      return new Result(null, check.refusal());
    }
    return new Result(withBodyUser(attribute(check.authenticated(), header), bodyUser), null);
  }

  /** {@code feature=search,env=prod} → tags; malformed pieces are ignored, the count is bounded. */
  static Map<String, String> tags(String value) {
    if (value == null) {
      return Map.of(); // most calls send no tags: no map to build, copy and drop per call
    }
    Map<String, String> tags = new LinkedHashMap<>();
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

  /** The secret in a credential header: a bearer token's, or the bare key. */
  public static String bearer(String authorization) {
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
