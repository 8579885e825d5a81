package dev.tollgate.config;

import java.util.Optional;

/**
 * The admin listener (health, readiness, and later metrics and reports).
 *
 * @param bind address to listen on
 * @param port admin port
 * @param token bearer token required for admin calls; empty means only loopback clients may call
 */
public record AdminConfig(String bind, int port, Optional<String> token) {
  public AdminConfig {
    Validate.notBlank(bind, "admin.bind");
    Validate.port(port, "admin.port");
    token = token.filter(t -> !t.isBlank());
  }
}
