package dev.tollgate.metering;

import dev.tollgate.config.ConfigException;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current price catalog. The file is polled (simpler and more dependable than file-system
 * watches across container mounts); a changed file that loads replaces the catalog atomically,
 * one that does not is logged and the previous catalog stays in force. Calls never wait on this.
 */
public final class CatalogHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogHolder.class);

  private final Path file;
  private final String upstreamHost;
  private final ScheduledExecutorService poller;
  private volatile PriceCatalog catalog;
  private volatile FileTime loadedStamp;

  /** Loads the catalog now; a missing or invalid file is a {@link ConfigException}. */
  public CatalogHolder(Path file, String upstreamHost, Duration interval) {
    this.file = file;
    this.upstreamHost = upstreamHost;
    this.loadedStamp = stamp();
    this.catalog = CatalogLoader.load(file).forUpstream(upstreamHost);
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-catalog");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public PriceCatalog catalog() {
    return catalog;
  }

  /** Checks the file once; true when a new catalog was loaded. */
  public boolean reloadIfChanged() {
    FileTime now = stamp();
    if (now == null || now.equals(loadedStamp)) {
      return false;
    }
    try {
      catalog = CatalogLoader.load(file).forUpstream(upstreamHost);
      loadedStamp = now;
      LOG.info("Price catalog reloaded from {} ({} models)", file, catalog.models().size());
      return true;
    } catch (ConfigException e) {
      loadedStamp = now; // do not retry the same broken file every tick
      LOG.error("Price catalog {} not reloaded, keeping the previous one: {}", file, e.getMessage());
      return false;
    }
  }

  private FileTime stamp() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
