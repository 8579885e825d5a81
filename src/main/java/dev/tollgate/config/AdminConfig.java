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
 * @param console the spend console served on this listener
 */
public record AdminConfig(
    String bind, int port, Optional<String> token, Duration idleTimeout, ConsoleConfig console) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public AdminConfig(String bind, int port, Optional<String> token) {
    this(bind, port, token, DEFAULT_IDLE_TIMEOUT, ConsoleConfig.DEFAULT);
  }

  public AdminConfig(String bind, int port, Optional<String> token, Duration idleTimeout) {
    this(bind, port, token, idleTimeout, ConsoleConfig.DEFAULT);
  }

  public AdminConfig {
    Validate.notNull(console, "admin.console");
    Validate.positive(idleTimeout, "admin.idle_timeout");
    Validate.notBlank(bind, "admin.bind");
    Validate.port(port, "admin.port");
    token = token.filter(t -> !t.isBlank());
  }
}
