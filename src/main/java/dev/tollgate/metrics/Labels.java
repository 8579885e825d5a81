package dev.tollgate.metrics;

import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps label values bounded, since clients choose them: a model label is a catalog model name or
 * {@code other}; the first {@code maxTeams} teams get their own label, later ones {@code other}.
 * Models without a price are the exception on the unpriced counter: the first {@code
 * maxUnpricedModels} distinct names keep their own (shortened, lower-cased) label, so the models to
 * add to the catalog are named on the dashboard. Keys and end users never become labels.
 */
final class Labels {
  static final String OTHER = "other";
  private static final int MAX_NAME = 80;

  private final Supplier<PriceCatalog> catalog;
  private final int maxTeams;
  private final Set<String> teams = ConcurrentHashMap.newKeySet();
  private final int maxUnpricedModels;
  private final Set<String> unpricedModels = ConcurrentHashMap.newKeySet();

  Labels(Supplier<PriceCatalog> catalog, int maxTeams, int maxUnpricedModels) {
    this.catalog = catalog;
    this.maxTeams = maxTeams;
    this.maxUnpricedModels = maxUnpricedModels;
  }

  /** The label of a model the catalog could not price: its own name while there is room. */
  String unpricedModel(String model) {
    if (model == null || model.isBlank()) {
      return OTHER;
    }
    String name = model.trim().toLowerCase(java.util.Locale.ROOT);
    name = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    return admit(unpricedModels, name, maxUnpricedModels);
  }

  String model(String model) {
    if (model == null) {
      return OTHER;
    }
    ModelPrice entry = catalog.get().resolve(model).orElse(null); // no Optional per call
    return entry == null ? OTHER : entry.name();
  }

  // Every HTTP status's label made once: the metering thread labelled each call with a new String.
  private static final String[] STATUSES = new String[600];

  static {
    for (int i = 0; i < STATUSES.length; i++) {
      STATUSES[i] = Integer.toString(i);
    }
  }

  /** An HTTP status as a label (the same String each time for 0-599). */
  static String status(int status) {
    return status >= 0 && status < STATUSES.length ? STATUSES[status] : Integer.toString(status);
  }

  String team(String team) {
    return admit(teams, team, maxTeams);
  }

  /** {@code value} when it has its label already or there is room for one more, else other. */
  private static String admit(Set<String> seen, String value, int max) {
    if (seen.contains(value)) {
      return value;
    }
    synchronized (seen) {
      if (seen.size() < max) {
        seen.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
