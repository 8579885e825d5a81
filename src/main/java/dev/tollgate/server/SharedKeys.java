package dev.tollgate.server;

import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.Keys;
import dev.tollgate.ledger.KeyRecords;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a replica sharing a PostgreSQL ledger authenticates with: {@code keys.yaml}'s (reloaded
 * as ever) with the database's, read again every {@code attribution.keys_sync_interval}, so a key
 * issued or revoked through any replica holds here within that interval (plus one read). A failed
 * read keeps the last good keys and says so once per failure streak.
 */
final class SharedKeys implements Supplier<Keys>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedKeys.class);

  private record Merged(Keys file, Map<String, KeyEntry> stored, Keys keys) {}

  private final Supplier<Keys> file;
  private final KeyRecords records;
  private final ScheduledExecutorService thread;
  private volatile Map<String, KeyEntry> stored;
  private volatile Merged merged;
  private boolean failing;

  SharedKeys(Supplier<Keys> file, KeyRecords records, Duration interval) {
    this.file = file;
    this.records = records;
    this.stored = records.stored(); // at start a read failure stops start-up, as a bad file does
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-keys-sync");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the stored keys now (after this replica issued or revoked one). */
  void refresh() {
    try {
      stored = records.stored();
      if (failing) {
        LOG.info("Keys are read from the ledger again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn("Keys not read from the ledger (the last ones read stay): {}", e.getMessage());
        failing = true;
      }
    }
  }

  @Override
  public Keys get() {
    Keys f = file.get();
    Map<String, KeyEntry> s = stored;
    Merged m = merged;
    if (m == null || m.file() != f || m.stored() != s) {
      m = new Merged(f, s, f.withStored(s));
      merged = m;
    }
    return m.keys();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
