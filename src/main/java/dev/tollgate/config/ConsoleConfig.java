package dev.tollgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The spend console on the admin listener ({@code admin.console}).
 *
 * @param enabled serve {@code /console/} (off: the admin API alone)
 * @param sessionTtl how long a sign-in lasts
 * @param secureCookie {@code auto} (Secure when the request came over TLS, directly or as {@code
 *     X-Forwarded-Proto: https}), {@code on} or {@code off}
 * @param sessionSecret signs session cookies; the same on every replica behind one load balancer
 *     (unset: derived from the admin token, else random per process)
 */
public record ConsoleConfig(
    boolean enabled, Duration sessionTtl, String secureCookie, Optional<String> sessionSecret) {
  public static final ConsoleConfig DEFAULT =
      new ConsoleConfig(true, Duration.ofHours(8), "auto", Optional.empty());

  public ConsoleConfig {
    Validate.positive(sessionTtl, "admin.console.session_ttl");
    if (sessionTtl.compareTo(Duration.ofDays(30)) > 0) {
      throw new ConfigException("admin.console.session_ttl: at most 30d, got " + sessionTtl);
    }
    if (!secureCookie.equals("auto") && !secureCookie.equals("on") && !secureCookie.equals("off")) {
      throw new ConfigException(
          "admin.console.secure_cookie: must be auto, on or off, got '" + secureCookie + "'");
    }
    sessionSecret = sessionSecret.filter(s -> !s.isBlank());
    if (sessionSecret.isPresent() && sessionSecret.get().length() < 32) {
      throw new ConfigException(
          "admin.console session secret: at least 32 characters (it signs every session)");
    }
  }
}
