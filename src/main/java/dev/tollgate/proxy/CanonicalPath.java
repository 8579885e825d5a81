package dev.tollgate.proxy;

/**
 * One spelling per path, decided before a path is classified: budgets, rate limits and metering key
 * on the path, so {@code /v1//chat/completions}, {@code /v1/%63hat/completions} and {@code
 * /anthropic/v1/messages/} must be the same call as their plain spelling, or they would pass
 * unchecked. Netty-free.
 *
 * <p>Percent-encoded unreserved characters (RFC 3986 §2.3) and {@code %3A} (Gemini's {@code
 * models/m:generateContent}) are decoded; other escapes are kept with upper-case hex; repeated
 * slashes are merged and a trailing slash dropped. What could still mean two things is refused: an
 * encoded {@code /} or {@code \}, a NUL, a raw backslash or control character, an invalid escape,
 * and {@code .} or {@code ..} segments.
 *
 * @param path the canonical path, or null when refused
 * @param problem why the path was refused, or null
 */
public record CanonicalPath(String path, String problem) {

  /** The canonical form of {@code raw} (a path without its query), or why there is none. */
  public static CanonicalPath of(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return refuse("the path must start with '/'");
    }
    if (plain(raw)) {
      return new CanonicalPath(raw, null); // the common case, without allocating
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          return refuse("invalid percent-escape in the path");
        }
        char decoded = (char) (hi * 16 + lo);
        if (decoded == '/' || decoded == '\\' || decoded == 0) {
          return refuse("an encoded '/', '\\' or NUL in the path is ambiguous");
        }
        if (unreserved(decoded) || decoded == ':') {
          append(out, decoded);
        } else {
          out.append('%').append(hex(hi)).append(hex(lo));
        }
        i += 2;
      } else if (c == '\\' || c < 0x20 || c == 0x7f) {
        return refuse("a backslash or control character in the path is ambiguous");
      } else {
        append(out, c);
      }
    }
    if (out.length() > 1 && out.charAt(out.length() - 1) == '/') {
      out.setLength(out.length() - 1);
    }
    String path = out.toString();
    return dotSegment(path)
        ? refuse("the path must not contain '.' or '..' segments")
        : new CanonicalPath(path, null);
  }

  public boolean refused() {
    return problem != null;
  }

  /** Appends {@code c}, merging a slash into the one before it. */
  private static void append(StringBuilder out, char c) {
    if (c == '/' && out.length() > 0 && out.charAt(out.length() - 1) == '/') {
      return;
    }
    out.append(c);
  }

  /** No escape, no doubled or trailing slash, no dot segment, nothing to refuse: as it is. */
  private static boolean plain(String raw) {
    char prev = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f || (c == '/' && prev == '/')) {
        return false;
      }
      if (c == '.' && prev == '/' && dotSegmentAt(raw, i)) {
        return false;
      }
      prev = c;
    }
    return raw.length() == 1 || prev != '/';
  }

  /** {@code .} or {@code ..} as a whole segment starting at {@code i}. */
  private static boolean dotSegmentAt(String path, int i) {
    int end = path.indexOf('/', i);
    int n = (end < 0 ? path.length() : end) - i;
    return n == 1 || (n == 2 && path.charAt(i + 1) == '.');
  }

  private static boolean dotSegment(String path) {
    int from = 1;
    while (from <= path.length()) {
      int end = path.indexOf('/', from);
      if (end < 0) {
        end = path.length();
      }
      int n = end - from;
      if ((n == 1 && path.charAt(from) == '.')
          || (n == 2 && path.charAt(from) == '.' && path.charAt(from + 1) == '.')) {
        return true;
      }
      from = end + 1;
    }
    return false;
  }

  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static char hex(int digit) {
    return Character.toUpperCase(Character.forDigit(digit, 16));
  }

  private static CanonicalPath refuse(String problem) {
    return new CanonicalPath(null, problem);
  }
}
