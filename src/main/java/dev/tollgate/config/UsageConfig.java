package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How usage is captured and priced.
 *
 * @param catalog the price catalog file
 * @param catalogReloadInterval how often the catalog file is checked for changes
 * @param injectStreamUsage ask streamed chat calls for usage (and hide the extra chunk)
 * @param drainAfterDisconnect how long to keep reading an upstream response after its client left,
 *     so the usage the provider bills is still captured (0 = close at once)
 * @param drainMaxBytes the most bytes read from such an orphaned response
 */
public record UsageConfig(
    Path catalog,
    Duration catalogReloadInterval,
    boolean injectStreamUsage,
    Duration drainAfterDisconnect,
    long drainMaxBytes) {

  public UsageConfig {
    Validate.notNull(catalog, "usage.catalog");
    Validate.positive(catalogReloadInterval, "usage.catalog_reload_interval");
    Validate.nonNegative(drainAfterDisconnect, "usage.drain_after_disconnect");
    Validate.range(drainMaxBytes, 0, 1L << 40, "usage.drain_max_bytes");
  }
}
