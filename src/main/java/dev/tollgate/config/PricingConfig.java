package dev.tollgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What Tollgate does about calls it could not price when they were made.
 *
 * @param autoReprice reprice recent unpriced calls whenever the catalog changes (and at start), so
 *     a price added late corrects the calls made before it; off leaves it to {@code tollgate
 *     reprice} and {@code POST /admin/reprice}
 * @param repriceWindow how far back the automatic repricing looks
 * @param sync fetch the price sources at all (off for air-gapped sites: {@code
 *     TOLLGATE_PRICE_SYNC=off}); local file sources are still read
 * @param fetchTimeout how long one fetch of a source may take
 * @param maxSourceBytes the largest source accepted (LiteLLM's map is a few MiB)
 * @param sources the synced price sources, in order of preference
 * @param refetchOnMiss when a call names a model no catalog prices, the sources are fetched again
 *     at once, at most this often (never on the request path); zero turns it off
 */
public record PricingConfig(
    boolean autoReprice,
    Duration repriceWindow,
    boolean sync,
    Duration fetchTimeout,
    long maxSourceBytes,
    List<PriceSourceConfig> sources,
    Duration refetchOnMiss) {
  /** LiteLLM's community price map, refreshed every six hours unless the config says otherwise. */
  public static final PriceSourceConfig LITELLM =
      new PriceSourceConfig(
          "litellm",
          "litellm",
          URI.create(
              "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"),
          null,
          Duration.ofHours(6));

  public PricingConfig {
    sources = List.copyOf(sources);
    Validate.positive(fetchTimeout, "pricing.fetch_timeout");
    Validate.range(maxSourceBytes, 1024, 1L << 30, "pricing.max_source_bytes");
    if (sources.stream().map(PriceSourceConfig::name).distinct().count() != sources.size()) {
      throw new ConfigException("pricing.sources: two sources have the same name");
    }
    Validate.positive(repriceWindow, "pricing.reprice_window");
    Validate.nonNegative(refetchOnMiss, "pricing.refetch_on_miss");
    if (repriceWindow.toDays() > 3660) {
      throw new ConfigException("pricing.reprice_window: at most 3660d, got " + repriceWindow);
    }
  }

  /** The sources' names, most preferred first: the order in which they price a model. */
  public List<String> sourceNames() {
    return sources.stream().map(PriceSourceConfig::name).toList();
  }
}
