package dev.tollgate.config;

/**
 * Prometheus metrics.
 *
 * @param maxTeams distinct team label values before further teams are counted as {@code other}
 * @param maxUnpricedModels distinct names of models without a price that label the unpriced counter
 *     before further ones are counted as {@code other}
 */
public record MetricsConfig(int maxTeams, int maxUnpricedModels) {
  public MetricsConfig {
    Validate.range(maxTeams, 1, 10_000, "metrics.max_teams");
    Validate.range(maxUnpricedModels, 0, 10_000, "metrics.max_unpriced_models");
  }
}
