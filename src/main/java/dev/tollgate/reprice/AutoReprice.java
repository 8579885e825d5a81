package dev.tollgate.reprice;

import dev.tollgate.jobs.Job;
import dev.tollgate.pricing.PriceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pricing.reprice: auto}: at start and whenever the catalog changes, reprices the recent
 * calls recorded unpriced, so a price added late corrects the calls made before it. A job: with
 * several replicas on one ledger it runs on one of them (the one holding its lease, which sees the
 * same catalog changes), never on all at once. A failed run is recorded and tried again at the next
 * change.
 */
public final class AutoReprice implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(AutoReprice.class);

  private final RepriceService service;
  private final Supplier<PriceCatalog> catalog;
  private final Duration window;
  private final Clock clock;
  private PriceCatalog seen; // only the jobs' thread touches it

  public AutoReprice(
      RepriceService service, Supplier<PriceCatalog> catalog, Duration window, Clock clock) {
    this.service = service;
    this.catalog = catalog;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "auto-reprice";
  }

  /** Due at start (on the replica that takes the lease) and at each new catalog. */
  @Override
  public boolean due(Instant lastRun, Instant started, Instant now) {
    return catalog.get() != seen;
  }

  @Override
  public Duration maxRun() {
    return Duration.ofMinutes(30);
  }

  @Override
  public String run() throws Exception {
    seen = catalog.get();
    LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1);
    LocalDate from = to.minusDays(Math.max(1, window.toDays()));
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
    return "{\"repriced\":"
        + r.repriced()
        + ",\"from\":\""
        + from
        + "\",\"to\":\""
        + to
        + "\",\"before_usd\":\""
        + r.before().toPlainString()
        + "\",\"after_usd\":\""
        + r.after().toPlainString()
        + "\"}";
  }
}
