package dev.tollgate.reprice;

import dev.tollgate.ledger.Repricings;
import dev.tollgate.pricing.PriceCatalog;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Repricing inside the running server: with the live catalog, telling the metrics of every
 * correction; one run at a time, so an API call and the automatic run never race each other.
 */
public final class RepriceService {
  private final Repricer repricer;
  private final Supplier<PriceCatalog> catalog;
  private final Consumer<Repricings.Change> applied;

  public RepriceService(
      Repricer repricer, Supplier<PriceCatalog> catalog, Consumer<Repricings.Change> applied) {
    this.repricer = repricer;
    this.catalog = catalog;
    this.applied = applied;
  }

  public synchronized RepriceResult run(LocalDate from, LocalDate to, String model, boolean dryRun)
      throws SQLException {
    return repricer.run(catalog.get(), from, to, model, dryRun, applied);
  }
}
