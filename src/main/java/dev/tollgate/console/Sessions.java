package dev.tollgate.console;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sessions as signed cookies: {@code role.name.team.expiry.signature}, HMAC-SHA256 over the
 * rest. Nothing is kept on the server, so any replica sharing the secret accepts a session another
 * issued; a viewer's session is checked against its token's state on every request, so revoking the
 * token ends it. The CSRF token of a session is another HMAC of it, sent back as a header on every
 * action (a page of another site can make the browser send the cookie, never the header).
 */
public final class Sessions {
  public static final String COOKIE = "tollgate_session";
  public static final String CSRF_HEADER = "x-csrf-token";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Duration ttl;

  /**
   * @param secret the configured secret; else derived from the admin token; else random (sessions
   *     then hold only on this process)
   */
  public Sessions(Optional<String> secret, Optional<String> adminToken, Duration ttl) {
    this.ttl = ttl;
    if (secret.isPresent()) {
      this.secret = secret.get().getBytes(StandardCharsets.UTF_8);
    } else if (adminToken.isPresent()) {
      this.secret = sha256("tollgate-console-session|" + adminToken.get());
    } else {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      this.secret = random;
    }
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new session's cookie value for {@code who}. */
  public String issue(Principal who, Instant now) {
    String body =
        String.join(
            ".",
            who.role(),
            enc(who.name()),
            who.team() == null ? "*" : enc(who.team()),
            Long.toString(now.plus(ttl).getEpochSecond()));
    return body + "." + mac("session|" + body);
  }

  /**
   * The session a cookie value carries, if it is signed here and not expired; the caller still
   * checks a viewer's token is valid.
   */
  public Optional<Principal> read(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    int sig = value.lastIndexOf('.');
    if (sig < 0) {
      return Optional.empty();
    }
    String body = value.substring(0, sig);
    if (!MessageDigest.isEqual(
        value.substring(sig + 1).getBytes(StandardCharsets.US_ASCII),
        mac("session|" + body).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    String[] parts = body.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long expires;
    try {
      expires = Long.parseLong(parts[3]);
      if (now.getEpochSecond() >= expires) {
        return Optional.empty();
      }
      String name = dec(parts[1]);
      String team = parts[2].equals("*") ? null : dec(parts[2]);
      return Optional.of(parts[0].equals("admin") ? Principal.ADMIN : Principal.viewer(name, team));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The CSRF token that goes with a session cookie value. */
  public String csrf(String sessionValue) {
    return mac("csrf|" + sessionValue);
  }

  /** True when {@code given} is the CSRF token of {@code sessionValue}. */
  public boolean csrfMatches(String sessionValue, String given) {
    return given != null
        && MessageDigest.isEqual(
            csrf(sessionValue).getBytes(StandardCharsets.US_ASCII),
            given.getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String dec(String s) {
    return new String(B64D.decode(s), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
