package dev.tollgate.reprice;

import dev.tollgate.pricing.PriceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pricing.reprice: auto}: at start and whenever the catalog changes, reprices the recent
 * calls recorded unpriced, so a price added late corrects the calls made before it. Runs on its own
 * thread; a failed run is logged and tried again at the next change.
 */
public final class AutoReprice implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoReprice.class);

  private final RepriceService service;
  private final Supplier<PriceCatalog> catalog;
  private final Duration window;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tollgate-reprice");
            t.setDaemon(true);
            return t;
          });
  private PriceCatalog seen; // only the repricing thread touches it

  /**
   * @param interval how often to look for a new catalog (the catalog's own reload interval)
   */
  public AutoReprice(
      RepriceService service,
      Supplier<PriceCatalog> catalog,
      Duration window,
      Duration interval,
      Clock clock) {
    this.service = service;
    this.catalog = catalog;
    this.window = window;
    this.clock = clock;
    thread.scheduleWithFixedDelay(
        this::runIfChanged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runIfChanged() {
    PriceCatalog now = catalog.get();
    if (now == seen) {
      return;
    }
    seen = now;
    LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1);
    LocalDate from = to.minusDays(Math.max(1, window.toDays()));
    try {
      RepriceResult r = service.run(from, to, null, false);
      if (r.repriced() > 0) {
        LOG.info(
            "Repriced {} calls recorded without a price ({} to {}): ${} -> ${}",
            r.repriced(),
            from,
            to,
            r.before().toPlainString(),
            r.after().toPlainString());
      }
    } catch (Exception e) {
      LOG.error("Automatic repricing failed; it runs again when the catalog changes", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
