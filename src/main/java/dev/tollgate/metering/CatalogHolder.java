package dev.tollgate.metering;

import dev.tollgate.config.ReloadingFile;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The current price catalog, in layers: the local overrides file (if configured, reloaded when it
 * changes) over the curated catalog built into the jar, and the synced sources below both, asked
 * only for models the curated layers do not name. Calls never wait on a reload or a sync.
 */
public final class CatalogHolder implements AutoCloseable {
  private final String upstreamHost;
  private final PriceCatalog bundledForUpstream;
  private final ReloadingFile<PriceCatalog> overrides; // null: the bundled catalog alone
  private final Supplier<PriceCatalog> synced;

  /** The last composition, rebuilt only when a layer changed (it holds a resolution memo). */
  private record Composed(PriceCatalog curated, PriceCatalog synced, PriceCatalog catalog) {}

  private volatile Composed composed;

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
    this.upstreamHost = upstreamHost;
    PriceCatalog bundled = CatalogLoader.bundled();
    this.bundledForUpstream = bundled.forUpstream(upstreamHost);
    this.synced = synced;
    this.overrides =
        overridesFile
            .map(
                f ->
                    new ReloadingFile<>(
                        f,
                        "price catalog",
                        interval,
                        file ->
                            CatalogLoader.withOverrides(bundled, file).forUpstream(upstreamHost)))
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
    PriceCatalog curated = overrides == null ? bundledForUpstream : overrides.get();
    PriceCatalog below = synced.get();
    Composed c = composed;
    if (c == null || c.curated() != curated || c.synced() != below) {
      c = new Composed(curated, below, curated.withFallback(below));
      composed = c;
    }
    return c.catalog();
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
