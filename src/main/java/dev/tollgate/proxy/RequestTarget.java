package dev.tollgate.proxy;

import dev.tollgate.errors.Failure;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;

/**
 * A request-target reduced to its canonical origin form: the path in its one spelling ({@link
 * CanonicalPath}) and the query as sent. The authority of an absolute-form URI is dropped: only a
 * configured upstream is ever contacted, so Tollgate cannot be used as an open proxy.
 *
 * @param path the canonical path, or the target as far as it may be logged when refused
 * @param query the query as sent, with its {@code ?}, or empty
 * @param failure why the target is refused, or null
 * @param message the error message for a refusal
 */
record RequestTarget(String path, String query, Failure failure, String message) {

  static RequestTarget of(HttpMethod method, String uri) {
    if (HttpMethod.CONNECT.equals(method)) {
      return refuse(
          Failure.METHOD_NOT_ALLOWED,
          withoutQuery(uri),
          "CONNECT is not supported: Tollgate is not a forward proxy");
    }
    String originForm = originForm(uri);
    if (originForm == null) {
      String shown = withoutQuery(uri);
      return refuse(Failure.BAD_REQUEST, shown, "Invalid request target: " + abbreviate(shown));
    }
    int q = originForm.indexOf('?');
    String raw = q < 0 ? originForm : originForm.substring(0, q);
    CanonicalPath canonical = CanonicalPath.of(raw);
    if (canonical.refused()) {
      String why = "Invalid request path " + abbreviate(raw) + ": " + canonical.problem();
      return refuse(Failure.BAD_REQUEST, raw, why);
    }
    return new RequestTarget(canonical.path(), q < 0 ? "" : originForm.substring(q), null, null);
  }

  boolean refused() {
    return failure != null;
  }

  /** What a log may show of a target: its query can hold a key (Gemini's {@code ?key=}). */
  static String withoutQuery(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static RequestTarget refuse(Failure failure, String path, String message) {
    return new RequestTarget(path, "", failure, message);
  }

  /** Reduces an absolute-form URI to its path and query; null when the target is unusable. */
  private static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return null;
    }
    int slash = uri.indexOf('/', schemeEnd);
    int question = uri.indexOf('?', schemeEnd);
    if (slash < 0 || (question >= 0 && question < slash)) {
      return null;
    }
    return uri.substring(slash);
  }
}
