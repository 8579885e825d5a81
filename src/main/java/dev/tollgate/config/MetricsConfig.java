package dev.tollgate.config;

/**
 * Prometheus metrics.
 *
 * @param maxTeams distinct team label values before further teams are counted as {@code other}
 */
public record MetricsConfig(int maxTeams) {
  public MetricsConfig {
    Validate.range(maxTeams, 1, 10_000, "metrics.max_teams");
  }
}
