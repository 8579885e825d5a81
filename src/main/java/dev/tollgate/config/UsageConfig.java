package dev.tollgate.config;

import dev.tollgate.call.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How usage is captured and priced.
 *
 * @param catalog local price overrides laid over the catalog built into the jar; empty: none
 * @param catalogReloadInterval how often the catalog file is checked for changes
 * @param injectStreamUsage ask streamed chat calls for usage (and hide the extra chunk)
 * @param drainAfterDisconnect how long to keep reading an upstream response after its client left,
 *     so the usage the provider bills is still captured (0 = close at once)
 * @param drainMaxBytes the most bytes read from such an orphaned response
 * @param maxTokensPerCall usage an upstream reports beyond this many tokens (input + output) for
 *     one call is not believed: the call is estimated instead, with a reason
 */
public record UsageConfig(
    Optional<Path> catalog,
    Duration catalogReloadInterval,
    boolean injectStreamUsage,
    Duration drainAfterDisconnect,
    long drainMaxBytes,
    long maxTokensPerCall) {

  /**
   * 100M tokens: fifty times the largest context window on sale in 2026, and still small enough
   * that a month of such calls cannot overflow a pico-dollar total.
   */
  public static final long DEFAULT_MAX_TOKENS_PER_CALL = 100_000_000L;

  public UsageConfig {
    Validate.notNull(catalog, "usage.catalog");
    Validate.positive(catalogReloadInterval, "usage.catalog_reload_interval");
    Validate.nonNegative(drainAfterDisconnect, "usage.drain_after_disconnect");
    Validate.range(drainMaxBytes, 0, 1L << 40, "usage.drain_max_bytes");
    Validate.range(maxTokensPerCall, 1, Usage.MAX_COUNT, "usage.max_tokens_per_call");
  }
}
