package dev.tollgate.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Providers;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synced sources' prices, with their history, as one catalog: the first source wins a name. A
 * model's own entry prices it anywhere; a provider's entry (a reseller's) prices only calls sent to
 * that provider.
 */
public final class SyncedCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(SyncedCatalog.class);

  private SyncedCatalog() {}

  /**
   * @param sourceOrder the configured sources, most preferred first
   */
  public static PriceCatalog from(List<PriceHistory.Version> history, List<String> sourceOrder) {
    Map<String, Map<String, Map<Instant, JsonNode>>> bySource = bySource(history);
    PriceCatalog merged = new PriceCatalog(Map.of(), Map.of(), Map.of());
    // Least preferred first, so each more preferred source is laid over it.
    for (int i = sourceOrder.size() - 1; i >= 0; i--) {
      String source = sourceOrder.get(i);
      Map<String, Map<Instant, JsonNode>> models = bySource.get(source);
      if (models == null) {
        continue;
      }
      try {
        merged = merged.overlay(catalog(source, models));
      } catch (ConfigException e) {
        LOG.error(
            "Price history of source '{}' could not be read; it prices nothing: {}",
            source,
            e.getMessage());
      }
    }
    return merged;
  }

  /**
   * One synced entry and where it prices.
   *
   * @param key the entry's key in its source's history ({@code provider/model} for a provider's)
   * @param provider the provider the entry is for (its key's prefix), or its stated provider
   * @param onlyFor null when the entry is the model's own (it prices the model wherever no entry
   *     for the serving provider does), else the provider whose calls alone it prices
   */
  public record Placement(
      String source, String model, String key, String provider, String onlyFor) {}

  /**
   * Where each of one source's entries prices. A bare entry is the model's own; a provider's entry
   * (kept as {@code provider/model}) prices that provider's calls, and is the model's own too when
   * that provider makes the model (a first-party API) and nothing else is. A bare entry that names
   * the same provider as a keyed one is an older Tollgate's record of that provider's entry (it
   * stripped the prefix) and gives way to it.
   */
  static List<Placement> placements(String source, Map<String, Map<Instant, JsonNode>> models) {
    Map<String, Placement> own = new TreeMap<>();
    List<Placement> keyed = new ArrayList<>();
    models.forEach(
        (key, versions) -> {
          JsonNode entry = null;
          for (JsonNode v : versions.values()) {
            entry = v; // the latest says where the entry prices now
          }
          String forProvider = entry.path(SourceFormats.FOR_PROVIDER).asText(null);
          if (forProvider == null || !key.startsWith(forProvider + "/")) {
            String provider = Providers.canonical(entry.path("provider").asText("unknown"));
            own.put(key, new Placement(source, key, key, provider, null));
          } else {
            String model = key.substring(forProvider.length() + 1);
            keyed.add(new Placement(source, model, key, forProvider, forProvider));
          }
        });
    for (Placement k : keyed) {
      Placement bare = own.get(k.model());
      if (bare != null && bare.provider().equals(k.provider())) {
        own.remove(k.model());
      }
    }
    List<Placement> out = new ArrayList<>(keyed);
    for (Placement k : keyed) {
      if (Providers.isMaker(k.provider()) && !own.containsKey(k.model())) {
        own.put(k.model(), new Placement(source, k.model(), k.key(), k.provider(), null));
      }
    }
    out.addAll(own.values());
    return out;
  }

  /** One source's catalog: its own entries as models, its providers' as their overrides. */
  private static PriceCatalog catalog(String source, Map<String, Map<Instant, JsonNode>> models) {
    Map<String, Map<Instant, JsonNode>> own = new TreeMap<>();
    Map<String, Map<String, Map<Instant, JsonNode>>> byProvider = new TreeMap<>();
    for (Placement p : placements(source, models)) {
      Map<Instant, JsonNode> versions = models.get(p.key());
      if (p.onlyFor() == null) {
        own.put(p.model(), versions);
      } else {
        byProvider.computeIfAbsent(p.onlyFor(), x -> new TreeMap<>()).put(p.model(), versions);
      }
    }
    PriceCatalog home =
        own.isEmpty()
            ? new PriceCatalog(Map.of(), Map.of(), Map.of())
            : CatalogLoader.parse(SourceFormats.catalogTree(own), source);
    Map<String, Map<String, ModelPrice>> overrides = new HashMap<>();
    byProvider.forEach(
        (provider, entries) ->
            overrides.put(
                provider,
                CatalogLoader.parse(SourceFormats.catalogTree(entries), source).models()));
    return new PriceCatalog(home.models(), home.aliases(), overrides);
  }

  /**
   * Every synced entry and where it prices, most preferred source first (for {@code tollgate prices
   * sources} and {@code prices diff}: which entry priced a model).
   */
  public static List<Placement> placements(PriceHistory history, List<String> sourceOrder)
      throws SQLException {
    Map<String, Map<String, Map<Instant, JsonNode>>> bySource = bySource(history.load());
    List<Placement> out = new ArrayList<>();
    for (String source : sourceOrder) {
      Map<String, Map<Instant, JsonNode>> models = bySource.get(source);
      if (models != null) {
        out.addAll(placements(source, models));
      }
    }
    return out;
  }

  private static Map<String, Map<String, Map<Instant, JsonNode>>> bySource(
      List<PriceHistory.Version> history) {
    Map<String, Map<String, Map<Instant, JsonNode>>> bySource = new LinkedHashMap<>();
    for (PriceHistory.Version v : history) {
      bySource
          .computeIfAbsent(v.source(), s -> new TreeMap<>())
          .computeIfAbsent(v.model(), m -> new TreeMap<>())
          .put(v.from(), v.entry());
    }
    return bySource;
  }

  /** The synced catalog as the ledger's history has it (for the CLI: no fetching). */
  public static PriceCatalog load(PriceHistory history, List<String> sourceOrder)
      throws SQLException {
    return from(history.load(), sourceOrder);
  }
}
