package dev.tollgate.cli;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.metering.CatalogHolder;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.sync.SyncedCatalog;
import java.sql.SQLException;

/**
 * The catalog a command prices with while the server may be down: the curated layers, over the
 * synced sources' prices as the ledger's history has them (nothing is fetched).
 */
final class Catalogs {
  private Catalogs() {}

  static PriceCatalog of(TollgateConfig config, Database db) throws SQLException {
    return curated(config).withFallback(synced(config, db));
  }

  /** The bundled catalog with the configured overrides, for the configured upstream. */
  static PriceCatalog curated(TollgateConfig config) {
    return CatalogHolder.load(config.usage().catalog(), config.upstream().host());
  }

  /** The synced sources' prices as the ledger's history has them. */
  static PriceCatalog synced(TollgateConfig config, Database db) throws SQLException {
    return SyncedCatalog.load(new PriceHistory(db), config.pricing().sourceNames());
  }
}
