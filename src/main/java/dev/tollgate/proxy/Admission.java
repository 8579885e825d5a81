package dev.tollgate.proxy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.attribution.Attributor;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.errors.Failure;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Decides whether a request may go upstream and who pays for it: the key rules (unknown or revoked
 * Tollgate keys, {@code auth.mode: virtual_keys}) and the attribution. The attribution headers are
 * removed here, so they never reach the upstream.
 */
final class Admission {
  /** Admitted, charged to {@code attribution}; or refused with {@code failure} and why. */
  record Decision(Attribution attribution, Failure failure, String message) {
    static Decision refuse(Failure failure, String message) {
      return new Decision(null, failure, message);
    }

    boolean refused() {
      return failure != null;
    }
  }

  private static final String X_API_KEY = "x-api-key";

  private final Attributor attributor;
  private final TollgateConfig config;

  Admission(Attributor attributor, TollgateConfig config) {
    this.attributor = attributor;
    this.config = config;
  }

  Decision decide(HttpHeaders headers, String bodyUser) {
    // Anthropic's SDKs send their key in x-api-key, not Authorization.
    String credential = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (credential == null) {
      credential = headers.get(X_API_KEY);
    }
    Attributor.Result result = attributor.resolve(credential, headers::get, bodyUser);
    Attributor.Headers names = attributor.headers();
    for (String name : new String[] {names.team(), names.project(), names.user(), names.tags()}) {
      headers.remove(name);
    }
    if (result.refusal() != null) {
      return Decision.refuse(Failure.INVALID_API_KEY, result.refusal());
    }
    // A virtual key needs the chosen upstream to have a key of Tollgate's own: checked in
    // Outbound, once the upstream is known.
    if (config.auth().virtualKeysOnly() && !result.attribution().virtualKey()) {
      // The organisation's key is only for holders of a Tollgate key: no header, another key or
      // another scheme is refused before anything is sent.
      return Decision.refuse(
          Failure.INVALID_API_KEY,
          "This gateway needs a Tollgate key: send 'Authorization: Bearer tg-...'");
    }
    return new Decision(result.attribution(), null, null);
  }
}
