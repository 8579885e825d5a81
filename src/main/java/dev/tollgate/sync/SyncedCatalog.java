package dev.tollgate.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The synced sources' prices, with their history, as one catalog: the first source wins a name. */
public final class SyncedCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(SyncedCatalog.class);

  private SyncedCatalog() {}

  /**
   * @param sourceOrder the configured sources, most preferred first
   */
  public static PriceCatalog from(List<PriceHistory.Version> history, List<String> sourceOrder) {
    Map<String, Map<String, Map<Instant, JsonNode>>> bySource = new LinkedHashMap<>();
    for (PriceHistory.Version v : history) {
      bySource
          .computeIfAbsent(v.source(), s -> new TreeMap<>())
          .computeIfAbsent(v.model(), m -> new TreeMap<>())
          .put(v.from(), v.entry());
    }
    PriceCatalog merged = new PriceCatalog(Map.of(), Map.of(), Map.of());
    // Least preferred first, so each more preferred source is laid over it.
    for (int i = sourceOrder.size() - 1; i >= 0; i--) {
      String source = sourceOrder.get(i);
      Map<String, Map<Instant, JsonNode>> models = bySource.get(source);
      if (models == null) {
        continue;
      }
      try {
        merged = merged.overlay(CatalogLoader.parse(SourceFormats.catalogTree(models), source));
      } catch (ConfigException e) {
        LOG.error(
            "Price history of source '{}' could not be read; it prices nothing: {}",
            source,
            e.getMessage());
      }
    }
    return merged;
  }

  /** The synced catalog as the ledger's history has it (for the CLI: no fetching). */
  public static PriceCatalog load(PriceHistory history, List<String> sourceOrder)
      throws SQLException {
    return from(history.load(), sourceOrder);
  }
}
