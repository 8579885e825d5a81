package dev.tollgate.metrics;

import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps label values bounded, since clients choose them: a model label is a catalog model name or
 * {@code other}; the first {@code maxTeams} teams get their own label, later ones {@code other}.
 * Keys and end users never become labels.
 */
final class Labels {
  static final String OTHER = "other";

  private final Supplier<PriceCatalog> catalog;
  private final int maxTeams;
  private final Set<String> teams = ConcurrentHashMap.newKeySet();

  Labels(Supplier<PriceCatalog> catalog, int maxTeams) {
    this.catalog = catalog;
    this.maxTeams = maxTeams;
  }

  String model(String model) {
    return model == null ? OTHER : catalog.get().resolve(model).map(ModelPrice::name).orElse(OTHER);
  }

  String team(String team) {
    if (teams.contains(team)) {
      return team;
    }
    synchronized (teams) {
      if (teams.size() < maxTeams) {
        teams.add(team);
        return team;
      }
    }
    return OTHER;
  }
}
