package dev.tollgate.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.PriceSourceConfig;
import dev.tollgate.config.PricingConfig;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.ledger.PriceSources;
import dev.tollgate.pricing.PriceCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the synced price sources current: at start the catalog comes from the recorded history (no
 * network needed, the same on every replica), then each source is fetched at once and on its
 * refresh interval, on one background thread, and again as soon as a call names a model no catalog
 * prices ({@link #missed}, at most once per {@code pricing.refetch_on_miss}). A new price adds a
 * version to the history from the day it was seen; a failed fetch keeps what is known (and at
 * start, reads the last good copy). Each fetch's outcome is recorded ({@link PriceSources}).
 */
public final class PriceSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PriceSync.class);

  private final PricingConfig config;
  private final PriceHistory history;
  private final PriceSources statuses;
  private final SourceFetcher fetcher;
  private final Clock clock;
  private final List<String> order;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tollgate-price-sync");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> tried = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastRefetchNanos =
      new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
  private volatile PriceCatalog catalog;
  private List<PriceHistory.Version> known; // the history the catalog was built from

  public PriceSync(
      PricingConfig config, PriceHistory history, PriceSources statuses, Path dataDir, Clock clock)
      throws SQLException {
    this.config = config;
    this.history = history;
    this.statuses = statuses;
    this.clock = clock;
    this.order = config.sourceNames();
    this.fetcher = new SourceFetcher(dataDir, config.fetchTimeout(), config.maxSourceBytes());
    reload();
    for (PriceSourceConfig source : fetched()) {
      thread.scheduleWithFixedDelay(
          () -> sync(source, true), 0, source.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The sources this replica fetches (air-gapped: the file sources only). */
  private List<PriceSourceConfig> fetched() {
    return config.sources().stream().filter(s -> s.url() == null || config.sync()).toList();
  }

  /** The synced sources' prices as now known; never null, empty when there are none. */
  public PriceCatalog catalog() {
    return catalog;
  }

  /**
   * A call named a model no catalog prices: fetch every source again now, unless that was done
   * within {@code pricing.refetch_on_miss}. Returns at once (the fetch runs on the sync thread).
   */
  public void missed(String model) {
    long every = config.refetchOnMiss().toNanos();
    long now = System.nanoTime();
    long last = lastRefetchNanos.get();
    if (every == 0 || now - last < every || !lastRefetchNanos.compareAndSet(last, now)) {
      return;
    }
    LOG.info("No price for model '{}': fetching the price sources again now", model);
    for (PriceSourceConfig source : fetched()) {
      thread.execute(() -> sync(source, false));
    }
  }

  /** One source, once: fetch, parse, record what changed, rebuild the catalog. */
  void sync(PriceSourceConfig source, boolean fallBackToLastGood) {
    Instant now = clock.instant();
    try {
      SourceFetcher.Fetched fetched;
      try {
        fetched = fetcher.fetch(source);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
        LOG.warn(
            "Price source '{}' ({}) could not be fetched, keeping what is known: {}",
            source.name(),
            source.location(),
            e.getMessage());
        status(source, now, "failed", e.getMessage());
        // At start, the last good copy fills in what the history may lack (it was kept first).
        boolean first = tried.add(source.name());
        Path last = fallBackToLastGood && first ? fetcher.lastGood(source).orElse(null) : null;
        if (last == null) {
          return;
        }
        fetched = new SourceFetcher.Fetched(last, false, null);
      }
      tried.add(source.name());
      if (fetched.unchanged()) {
        status(source, now, "unchanged", null);
        reload(); // another replica may have recorded more
        return;
      }
      SourceFormats.Parsed parsed;
      try {
        parsed = SourceFormats.read(source.format(), fetched.body());
      } catch (IOException e) {
        fetcher.discard(source, fetched);
        status(
            source, now, "failed", "not a " + source.format() + " price source: " + e.getMessage());
        throw e;
      }
      fetcher.keep(source, fetched);
      skipped(source, parsed.skipped());
      Map<String, JsonNode> entries = parsed.entries();
      int changed = history.record(source.name(), now, entries);
      statuses.read(source.name(), source.location(), now, entries.size(), parsed.skipped());
      reload(); // with what other replicas recorded
      if (changed > 0) {
        LOG.info(
            "Price source '{}': {} models, {} with a new price from {}",
            source.name(),
            entries.size(),
            changed,
            now);
      }
    } catch (Exception e) {
      LOG.error(
          "Price source '{}' ({}) was not synced: {}",
          source.name(),
          source.location(),
          e.toString());
    }
  }

  private void status(PriceSourceConfig source, Instant at, String status, String message) {
    try {
      statuses.attempted(source.name(), source.location(), at, status, message);
    } catch (SQLException e) {
      LOG.warn("Price source '{}': its status was not recorded: {}", source.name(), e.getMessage());
    }
  }

  /** One line per refresh names the models a source could not price, and why (the first few). */
  private static void skipped(PriceSourceConfig source, Map<String, String> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder names = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, String> e : skipped.entrySet()) {
      if (shown++ == 20) {
        names.append("; and ").append(skipped.size() - 20).append(" more");
        break;
      }
      names.append(shown == 1 ? "" : "; ").append(e.getKey()).append(" (");
      names.append(e.getValue()).append(')');
    }
    LOG.warn(
        "Price source '{}' ({}): {} models skipped, not priced from it: {}",
        source.name(),
        source.location(),
        skipped.size(),
        names);
  }

  /**
   * Rebuilds the catalog only when the recorded history changed: a new catalog makes the holder
   * re-compose its layers and automatic repricing scan for unpriced calls, so an unchanged refresh
   * keeps the one it has.
   */
  private synchronized void reload() throws SQLException {
    List<PriceHistory.Version> now = history.load();
    if (!now.equals(known)) {
      known = now;
      catalog = SyncedCatalog.from(now, order);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
