package dev.tollgate.metering;

import dev.tollgate.config.ReloadingFile;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The current price catalog, in layers: the local overrides file (if configured, reloaded when it
 * changes) over the curated catalog built into the jar, and the synced sources below both, asked
 * only for models the curated layers do not name. Calls never wait on a reload or a sync.
 */
public final class CatalogHolder implements AutoCloseable {
  private final String upstreamHost;
  private final PriceCatalog bundled;
  private final ReloadingFile<PriceCatalog> overrides; // null: the bundled catalog alone
  private final Supplier<PriceCatalog> synced;
  // Which provider's synced entries price the calls sent to each upstream host.
  private final Map<String, String> priceProviders;

  /** The last composition, rebuilt only when a layer changed (it holds a resolution memo). */
  private record Composed(PriceCatalog curated, PriceCatalog synced, PriceCatalog catalog) {}

  private volatile Composed composed;

  /** Compositions for the other upstreams' hosts (their own price overrides), by host. */
  private final java.util.Map<String, Composed> byHost =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Loads the catalog now; a configured overrides file that is missing or invalid is a {@link
   * dev.tollgate.config.ConfigException}.
   *
   * @param synced the synced sources' catalog as now known (empty: none)
   */
  public CatalogHolder(
      Optional<Path> overridesFile,
      String upstreamHost,
      Duration interval,
      Supplier<PriceCatalog> synced) {
    this(overridesFile, upstreamHost, interval, synced, Map.of());
  }

  /**
   * @param priceProviders the provider each upstream host is in a synced price map (LiteLLM's
   *     {@code litellm_provider}): that provider's entries price the calls sent there
   */
  public CatalogHolder(
      Optional<Path> overridesFile,
      String upstreamHost,
      Duration interval,
      Supplier<PriceCatalog> synced,
      Map<String, String> priceProviders) {
    this.upstreamHost = upstreamHost;
    this.priceProviders = Map.copyOf(priceProviders);
    PriceCatalog base = CatalogLoader.bundled();
    this.bundled = base;
    this.synced = synced;
    this.overrides =
        overridesFile
            .map(
                f ->
                    new ReloadingFile<>(
                        f,
                        "price catalog",
                        interval,
                        file -> CatalogLoader.withOverrides(base, file)))
            .orElse(null);
  }

  /** The curated layers for the configured overrides, without the synced sources. */
  public static PriceCatalog load(Optional<Path> overridesFile, String upstreamHost) {
    PriceCatalog bundled = CatalogLoader.bundled();
    return overridesFile
        .map(f -> CatalogLoader.withOverrides(bundled, f))
        .orElse(bundled)
        .forUpstream(upstreamHost);
  }

  public PriceCatalog catalog() {
    Composed last = composed;
    Composed c = current(last, upstreamHost);
    if (c != last) {
      composed = c;
    }
    return c.catalog();
  }

  /** The catalog for a call sent to {@code host}: with that upstream's own price overrides. */
  public PriceCatalog catalog(String host) {
    if (host == null || host.equals(upstreamHost)) {
      return catalog();
    }
    Composed last = byHost.get(host);
    Composed c = current(last, host);
    if (c != last) {
      if (byHost.size() > 64) {
        byHost.clear(); // hosts come from config, so this never grows in practice
      }
      byHost.put(host, c);
    }
    return c.catalog();
  }

  /** {@code last} while no layer has changed since it was composed, else a new composition. */
  private Composed current(Composed last, String host) {
    PriceCatalog curated = overrides == null ? bundled : overrides.get();
    PriceCatalog below = synced.get();
    if (last != null && last.curated() == curated && last.synced() == below) {
      return last;
    }
    String provider = host == null ? null : priceProviders.get(host);
    PriceCatalog synced = provider == null ? below : below.forUpstream(provider);
    return new Composed(curated, below, curated.forUpstream(host).withFallback(synced));
  }

  String upstreamHost() {
    return upstreamHost;
  }

  @Override
  public void close() {
    if (overrides != null) {
      overrides.close();
    }
  }
}
