package dev.tollgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The admin listener (health, readiness, and later metrics and reports).
 *
 * @param bind address to listen on
 * @param port admin port
 * @param token bearer token required for admin calls; empty means only loopback clients may call
 * @param idleTimeout an admin connection with no request in progress is closed after this long
 */
public record AdminConfig(String bind, int port, Optional<String> token, Duration idleTimeout) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public AdminConfig(String bind, int port, Optional<String> token) {
    this(bind, port, token, DEFAULT_IDLE_TIMEOUT);
  }

  public AdminConfig {
    Validate.positive(idleTimeout, "admin.idle_timeout");
    Validate.notBlank(bind, "admin.bind");
    Validate.port(port, "admin.port");
    token = token.filter(t -> !t.isBlank());
  }
}
